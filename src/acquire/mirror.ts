// `--mirror` rewrites every source URL https://HOST/PATH to MIRROR/HOST/PATH, so a folder laid
// out by official URL (../shared/mirror) or a loopback server can stand in for the agencies.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function applyMirror(url: string, mirror: string | undefined): string {
  if (!mirror) return url;
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return url;
  const rest = `${u.host}${u.pathname}${u.search}`;
  if (/^(https?|file|s3):\/\//.test(mirror)) return `${mirror.replace(/\/+$/, '')}/${rest}`;
  // A local folder: query strings have no place in a file name, so they are dropped.
  return pathToFileURL(path.join(path.resolve(mirror), u.host, decodeURIComponent(u.pathname))).href;
}
