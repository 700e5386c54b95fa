// One run at a time per output folder, across processes: a lock file holding the holder's pid
// and start time. The file appears complete or not at all: its content is written to a temp
// file that is then hard-linked to the lock's name, which fails if the name exists (link never
// replaces), so no process ever reads a half-written lock and mistakes it for a stale one.
// A lock left by a dead process is taken over (and said so), one taker at a time. The holder
// touches the file every HEARTBEAT_MS while it holds it, so a lock is provably stale when its
// heartbeat stops, whatever the pid says: a container's CLI is pid 1 in every restart, and a new
// Kubernetes pod has another host name, so neither pid nor host alone can tell a dead holder.
import { hostname } from 'node:os';
import { link, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LockError } from '../errors.js';
import { tempPathFor } from '../fsutil.js';

const LockSchema = z.object({ pid: z.number(), host: z.string(), started_at: z.string(), purpose: z.string() });
export type LockInfo = z.infer<typeof LockSchema>;

/** How often the holder touches its lock file. Default 5 s. */
export const HEARTBEAT_MS = 5_000;
/**
 * A lock whose file was last touched longer ago than this is stale: its holder is gone (killed,
 * or on a host that is gone). Default 60 s: twelve missed beats, so a busy holder is never taken for a dead one.
 */
export const STALE_AFTER_MS = 60_000;

/** How often a waiting process looks again. Default 1 s. */
export const LOCK_POLL_MS = 1_000;
/** A takeover guard older than this was left by a taker that died mid-takeover. Default 10 s. */
export const TAKEOVER_STALE_MS = 10_000;

export function processAlive(pid: number): boolean {
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

/** The contents of the locks this process holds (a lock naming this pid that is not among them was left by an earlier process with the same pid). */
const heldHere = new Set<string>();

/**
 * Why the lock `holder` (read from `file`) is no longer held, or undefined while it is: its
 * heartbeat stopped, its pid is this process's own (a restarted container's pid 1), or its
 * process is gone from this host.
 */
export async function staleReason(file: string, holder: LockInfo): Promise<string | undefined> {
  const touched = await stat(file).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  if (touched !== undefined && Date.now() - touched > STALE_AFTER_MS) return `its heartbeat stopped ${Math.round((Date.now() - touched) / 1000)} s ago`;
  if (holder.host !== hostname()) return undefined;
  if (holder.pid === process.pid) {
    const content = await readFile(file, 'utf8').catch(() => '');
    return heldHere.has(content) ? undefined : `pid ${holder.pid} is this process (a restarted container, or a reused pid)`;
  }
  if (!processAlive(holder.pid)) return `pid ${holder.pid} is no longer running`;
  return undefined;
}

/** The lock at `file` if a live process holds it, else undefined (no lock, or a stale one). */
export async function liveLock(file: string): Promise<LockInfo | undefined> {
  const holder = await readLock(file);
  return holder && !(await staleReason(file, holder)) ? holder : undefined;
}

/** Create `file` with `content` atomically, only if it does not exist. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const tmp = tempPathFor(file);
  await writeFile(tmp, content);
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

export interface Lock {
  release(): Promise<void>;
}

/**
 * Remove the stale lock `seen` unless someone else already replaced it. Takers serialise on a
 * guard file, so two processes that both saw the same dead holder cannot each remove the
 * other's fresh lock.
 */
async function takeOver(file: string, seen: string): Promise<void> {
  const guard = `${file}.takeover`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > TAKEOVER_STALE_MS) await rm(guard, { force: true });
    else await new Promise((r) => setTimeout(r, 20)); // another taker is at it: look again shortly
    return;
  }
  try {
    const now = await readFile(file, 'utf8').catch(() => undefined);
    if (now === seen) await rm(file, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Take the lock at `file`. Held by a live process: wait (`wait: true`) or refuse with who holds
 * it. Held by a dead process on this host: taken over, with a warning.
 */
export async function acquireLock(file: string, purpose: string, log: Logger, opts: { wait?: boolean; signal?: AbortSignal } = {}): Promise<Lock> {
  await mkdir(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), purpose };
  const content = JSON.stringify(info);
  for (;;) {
    if (await createExclusive(file, content)) {
      // The heartbeat: touched while held (unref'd: it never keeps the process alive).
      const beat = setInterval(() => {
        const now = new Date();
        utimes(file, now, now).catch(() => undefined);
      }, HEARTBEAT_MS);
      beat.unref();
      heldHere.add(content);
      return {
        async release() {
          clearInterval(beat);
          heldHere.delete(content);
          if ((await readFile(file, 'utf8').catch(() => undefined)) === content) await rm(file);
        },
      };
    }
    const seen = await readFile(file, 'utf8').catch(() => undefined);
    if (seen === undefined) continue; // released in between: try again
    const holder = await readLock(file);
    // Lock files are written whole, so an unreadable one is damaged, not half-written.
    const stale = holder && (await staleReason(file, holder));
    if (!holder || stale) {
      log.warn(
        { lock: file, holder },
        holder
          ? `taking over a stale lock from pid ${holder.pid} on ${holder.host} (${holder.purpose}, started ${holder.started_at}): ${stale}`
          : 'taking over a damaged lock file',
      );
      await takeOver(file, seen);
      continue;
    }
    if (!opts.wait)
      throw new LockError(`${path.dirname(file)} is in use by pid ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.started_at}); wait for it, or pass --wait`);
    if (opts.signal?.aborted) throw new LockError(`gave up waiting for ${file}`);
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}
