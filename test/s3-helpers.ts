// A real S3 API on loopback for tests: s3rver (run with --openssl-legacy-provider, as it needs
// on Node 20) behind a small recording proxy that can also play a server that dies mid-upload.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PROJECT, tempDir } from './helpers.js';

export interface S3Server {
  /** Endpoint clients use (the proxy). */
  endpoint: string;
  /** Requests seen by the proxy, in order: "PUT /bucket/key". */
  requests: string[];
  /** After this many more PUTs, the proxy drops every connection and refuses new ones. */
  failAfterPuts: (n: number) => void;
  /** Let requests through again. */
  heal: () => void;
  close: () => Promise<void>;
}

export async function startS3(bucket: string): Promise<S3Server> {
  const data = await tempDir('lmi-s3-');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      path.join(PROJECT, 'node_modules', 's3rver', 'bin', 's3rver.js'),
      '--directory',
      data.dir,
      '--port',
      '0',
      '--address',
      '127.0.0.1',
      '--configure-bucket',
      bucket,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const upstreamPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`s3rver exited (${code}): ${out}`)));
  });
  const requests: string[] = [];
  let putsLeft = Infinity;
  let broken = false;
  const proxy = http.createServer((req, res) => {
    if (broken) return void req.socket.destroy();
    if (req.method === 'PUT' && --putsLeft < 0) {
      broken = true;
      req.socket.destroy();
      return;
    }
    requests.push(`${req.method} ${req.url}`);
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requests,
    failAfterPuts: (n) => {
      putsLeft = n;
    },
    heal: () => {
      putsLeft = Infinity;
      broken = false;
    },
    close: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      child.kill();
      await data.cleanup();
    },
  };
}
