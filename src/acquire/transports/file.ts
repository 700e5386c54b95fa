// file:// sources (a --mirror folder, or files a board keeps on disk): always a body; the
// Fetcher's hash says whether it changed.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FetchError } from '../../errors.js';
import type { Transport } from './types.js';

const isFile = (url: string) =>
  stat(fileURLToPath(url)).then(
    (s) => s.isFile(),
    () => false,
  );

export function fileTransport(): Transport {
  return {
    async get(url) {
      if (!(await isFile(url))) throw new FetchError(url, 'no such file', 404);
      return { status: 'body', body: createReadStream(fileURLToPath(url)), validators: {}, downloaded: false };
    },
    exists: isFile,
  };
}
