// The first error is the one reported and recorded: a cleanup that fails after it (removing a
// half-written snapshot, releasing the run lock) is logged, never put in its place.
// Faults are injected into node:fs/promises `rm` for the paths named by `failing`.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, PublishError } from '../src/errors.js';
import { type Params, Warehouse } from '../src/load/warehouse.js';
import { lastRuns, refresh } from '../src/operate/runs.js';
import { runPipeline } from '../src/run.js';
import { tempDir, runOptions } from './helpers.js';

const failing = vi.hoisted(() => ({ rm: undefined as RegExp | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rm: typeof actual.rm = async (target, options) => {
    if (failing.rm?.test(String(target))) throw Object.assign(new Error(`EBUSY: resource busy, rm '${String(target)}'`), { code: 'EBUSY' });
    return actual.rm(target, options);
  };
  return { ...actual, rm, default: { ...actual, rm } };
});

const base = runOptions;

afterEach(() => {
  failing.rm = undefined;
  vi.restoreAllMocks();
});

describe('cleanup errors never replace the real cause', () => {
  it('a publish that fails, then fails to remove its temp folder, reports the publish failure; the next run sweeps the folder', async () => {
    const out = await tempDir();
    try {
      const run = Warehouse.prototype.run;
      vi.spyOn(Warehouse.prototype, 'run').mockImplementation(function (this: Warehouse, sql: string, params?: Params) {
        if (/^COPY .* TO \$file/s.test(sql) && String(params?.file).endsWith('coverage.json')) return Promise.reject(new Error('No space left on device'));
        return run.call(this, sql, params);
      });
      failing.rm = /\.partial-/;
      const err = await runPipeline(base(out.dir)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PublishError);
      expect((err as Error).message).toMatch(/failed: No space left on device$/);
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => n.startsWith('.partial-'))).toHaveLength(1);
      vi.restoreAllMocks();
      failing.rm = undefined;
      const next = await refresh({ ...base(out.dir), trigger: 'manual' });
      expect(next.ok && next.result.status).toBe('published');
      expect((await readdir(path.join(out.dir, 'snapshots'))).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      await out.cleanup();
    }
  });

  it('a run lock that cannot be released does not turn a failed run into another error; the run is recorded "failed" with its cause', async () => {
    const out = await tempDir();
    try {
      failing.rm = /run\.lock$/;
      const outcome = await refresh({ ...base(out.dir, { checks: { nonexistent_check: {} } }), trigger: 'manual' });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error).toBeInstanceOf(ConfigError);
      const [run] = await lastRuns(out.dir);
      expect(run!.status).toBe('failed');
      expect(run!.error).toMatch(/unknown checks: nonexistent_check/);
      expect(JSON.parse(await readFile(path.join(out.dir, 'run.lock'), 'utf8')).pid).toBe(process.pid);
    } finally {
      failing.rm = undefined;
      await out.cleanup();
    }
  });
});
