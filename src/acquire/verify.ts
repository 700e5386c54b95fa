// Check what arrived before anything uses it: agencies answer blocked or broken requests with
// an HTML page and status 200 as often as with a proper error.
import { open } from 'node:fs/promises';

export type ContentKind = 'zip' | 'xlsx' | 'text';

export async function sniff(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function looksLikeHtml(head: Buffer): boolean {
  const text = head.toString('latin1').trimStart().slice(0, 200).toLowerCase();
  return text.startsWith('<!doctype html') || text.startsWith('<html') || /<(head|body|title)\b/.test(text);
}

/** A reason the bytes are not of the expected kind, or undefined when they are. */
export function contentProblem(head: Buffer, kind: ContentKind): string | undefined {
  if (head.length === 0) return 'the body is empty';
  if (kind === 'zip' || kind === 'xlsx') {
    // Local file header "PK\x03\x04" (an empty archive would be "PK\x05\x06", which is no use to us).
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return undefined;
    if (looksLikeHtml(head)) return `an HTML page where a ${kind} file was expected`;
    return `not a ${kind} file (it starts with ${JSON.stringify(head.subarray(0, 8).toString('latin1'))})`;
  }
  if (looksLikeHtml(head)) return 'an HTML page where a data file was expected';
  if (head.includes(0)) return 'binary content where a text file was expected';
  return undefined;
}
