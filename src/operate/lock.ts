// One run at a time per output folder, across processes: a lock file holding the holder's pid
// and start time, created exclusively. A lock left by a dead process is taken over (and said so).
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LockError } from '../errors.js';

const LockSchema = z.object({ pid: z.number(), host: z.string(), started_at: z.string(), purpose: z.string() });
export type LockInfo = z.infer<typeof LockSchema>;

/** How often a waiting process looks again. Default 1 s. */
export const LOCK_POLL_MS = 1_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    return LockSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

export interface Lock {
  release(): Promise<void>;
}

/**
 * Take the lock at `file`. Held by a live process: wait (`wait: true`) or refuse with who holds
 * it. Held by a dead process on this host, or unreadable: taken over, with a warning.
 */
export async function acquireLock(file: string, purpose: string, log: Logger, opts: { wait?: boolean; signal?: AbortSignal } = {}): Promise<Lock> {
  await mkdir(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), purpose };
  for (;;) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(JSON.stringify(info));
      await fh.close();
      return {
        async release() {
          const current = await readLock(file);
          if (current?.pid === process.pid) await rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(file);
    if (!holder || (holder.host === info.host && !alive(holder.pid))) {
      log.warn({ lock: file, holder }, holder ? `taking over a stale lock from pid ${holder.pid} (${holder.purpose}, started ${holder.started_at}), which is no longer running` : 'taking over an unreadable lock file');
      await rm(file, { force: true });
      continue;
    }
    if (!opts.wait) throw new LockError(`${path.dirname(file)} is in use by pid ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.started_at}); wait for it, or pass --wait`);
    if (opts.signal?.aborted) throw new LockError(`gave up waiting for ${file}`);
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}
