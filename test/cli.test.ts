// The CLI contract: `lmi run` with --oews-year / --release / --mirror, exit codes, one-line reasons.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR, PROJECT, tempDir } from './helpers.js';

const exec = promisify(execFile);

async function lmi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), ...args], {
      cwd: PROJECT,
      env: { ...process.env, LMI_LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('lmi run across OEWS years (only --oews-year changes)', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());

  // May 2022 has 830 detailed occupations: 29-1024 Prosthodontists was not published.
  it.each([
    [2021, 831],
    [2022, 830],
    [2023, 831],
  ])('May %i publishes %i occupations whose clusters add up', async (year, count) => {
    const output = path.join(out.dir, String(year));
    const r = await lmi(['run', '--oews-year', String(year), '--mirror', MIRROR, '--output', output]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^published snapshot \S+ \(occupations \d+/);
    const latest = JSON.parse(await readFile(path.join(output, 'latest.json'), 'utf8'));
    const dir = path.join(output, latest.path);
    const occupations = JSON.parse(await readFile(path.join(dir, 'occupations.json'), 'utf8')) as { employment: number | null; oews_release: string }[];
    expect(occupations).toHaveLength(count);
    expect(occupations[0]!.oews_release).toBe(`May ${year}`);
    const clusters = (JSON.parse(await readFile(path.join(dir, 'cluster_demand.json'), 'utf8')) as { framework: string; employment_allocated: number }[]).filter((c) => c.framework === '2024');
    expect(clusters.reduce((a, c) => a + c.employment_allocated, 0)).toBe(occupations.reduce((a, o) => a + (o.employment ?? 0), 0));
  });
});

describe('lmi run failures', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());

  it('names the missing URL when a pinned release is not on the mirror', async () => {
    const r = await lmi(['run', '--release', 'oews=2025', '--mirror', MIRROR, '--output', out.dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('oesm25nat.zip');
  });

  it('refuses unknown sources and unsupported years with one line', async () => {
    for (const args of [['--release', 'nope=1'], ['--oews-year', '2019'], ['--release', 'onet=27']]) {
      const r = await lmi(['run', ...args, '--mirror', MIRROR, '--output', out.dir]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^lmi: /);
    }
  });

  it('has --help on every command', async () => {
    for (const args of [['--help'], ['run', '--help'], ['crosswalks', '--help'], ['crosswalks', 'import', '--help']]) {
      const r = await lmi(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: lmi');
    }
  });
});

describe('lmi run --config', () => {
  it('takes output, mirror and releases from a JSON config file, and names a bad key', async () => {
    const out = await tempDir();
    try {
      const config = path.join(out.dir, 'lmi.json');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(config, JSON.stringify({ output: path.join(out.dir, 'snapshots-here'), mirror: MIRROR, releases: { oews: '2023', onet: '27.0' }, policy: 'oregon' }));
      const r = await lmi(['run', '--config', config]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('published snapshot');
      const latest = JSON.parse(await readFile(path.join(out.dir, 'snapshots-here', 'latest.json'), 'utf8'));
      const manifest = JSON.parse(await readFile(path.join(out.dir, 'snapshots-here', latest.path, 'manifest.json'), 'utf8'));
      expect(manifest.facts.oews_release).toBe('May 2023');
      expect(manifest.policy.name).toBe('oregon');
      await writeFile(config, JSON.stringify({ mirror: MIRROR, relases: { oews: '2023' } }));
      const bad = await lmi(['run', '--config', config]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/^lmi: .*lmi\.json: \(top level\): Unrecognized key: "relases"\n$/);
    } finally {
      await out.cleanup();
    }
  });
});
