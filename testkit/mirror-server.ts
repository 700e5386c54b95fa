// A loopback HTTP server that serves folders laid out by official URL (HOST/PATH), as
// ../shared/mirror is: for the tests and the bench (shared here so bench/ need not import test/).
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/mirror beside the project (LMI_SHARED moves it). */
const DEFAULT_MIRROR = path.join(process.env.LMI_SHARED ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared'), 'mirror');

export interface RequestLog {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface MirrorServer {
  url: string;
  requests: RequestLog[];
  /** Responses that carried a body (200s to GET). */
  bodiesSent: () => number;
  /** Most requests in flight at once. */
  maxInFlight: () => number;
  close: () => Promise<void>;
}

/**
 * Serve `roots` (first match wins) on 127.0.0.1 at a random port: GET and HEAD, 404 otherwise.
 * `intercept` may answer a request itself (return true) to play a misbehaving server.
 */
export async function startMirrorServer(
  roots: string[] = [DEFAULT_MIRROR],
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse, file: string | undefined) => boolean | Promise<boolean>,
): Promise<MirrorServer> {
  const requests: RequestLog[] = [];
  let inFlight = 0,
    maxInFlight = 0,
    bodies = 0;
  const server = http.createServer(async (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => inFlight--);
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = roots.map((r) => path.join(r, rel)).find((f) => existsSync(f) && statSync(f).isFile());
    if (intercept && (await intercept(req, res, file))) return;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Not found</body></html>');
      return;
    }
    // Validators as a real web server sends them; 304 when the client's copy is current.
    const info = statSync(file);
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const lastModified = info.mtime.toUTCString();
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    res.writeHead(200, { 'content-length': info.size, 'content-type': 'application/octet-stream', etag, 'last-modified': lastModified });
    if (req.method === 'HEAD') res.end();
    else {
      bodies++;
      createReadStream(file).pipe(res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodiesSent: () => bodies,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
