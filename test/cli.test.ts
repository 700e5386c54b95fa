// The CLI contract: `lmi run` with --oews-year / --release / --mirror, exit codes, one-line reasons.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR, PROJECT, startMirrorServer, tempDir } from './helpers.js';

const exec = promisify(execFile);

async function lmi(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), ...args], {
      cwd: PROJECT,
      env: { ...process.env, LMI_LOG_LEVEL: 'warn', ...env },
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
    const r = await lmi(['run', '--oews-year', String(year), '--mirror', MIRROR, '--output', output, '--no-report']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^published snapshot \S+ \(occupations \d+/);
    // The result names the releases and leaves out tables without rows.
    expect(r.stdout).toMatch(
      new RegExp(
        `\\nreleases: oews May ${year}, ep 2024–2034, ep_separations 2024–2034, onet \\S+, ipeds_completions \\d{4} \\(July \\d{4}–June \\d{4}\\), ipeds_institutions \\d{4}, cip_soc CIP 2020 – SOC 2018\\n`,
      ),
    );
    expect(r.stdout).not.toMatch(/cluster_history 0/);
    const latest = JSON.parse(await readFile(path.join(output, 'latest.json'), 'utf8'));
    const dir = path.join(output, latest.path);
    const occupations = JSON.parse(await readFile(path.join(dir, 'occupations.json'), 'utf8')) as { employment: number | null; oews_release: string }[];
    expect(occupations).toHaveLength(count);
    expect(occupations[0]!.oews_release).toBe(`May ${year}`);
    const clusters = (JSON.parse(await readFile(path.join(dir, 'cluster_demand.json'), 'utf8')) as { framework: string; employment_allocated: number }[]).filter(
      (c) => c.framework === '2024',
    );
    expect(clusters.reduce((a, c) => a + c.employment_allocated, 0)).toBe(occupations.reduce((a, o) => a + (o.employment ?? 0), 0));
  });
});

// bin/lmi.js runs `lmi run` and `lmi schedule` in a worker thread (a small young generation):
// what a person sees and what a signal does must be as on Node's own thread.
describe('lmi run in its worker thread', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());
  const args = (output: string) => [path.join(PROJECT, 'bin', 'lmi.js'), 'run', '--mirror', MIRROR, '--output', output, '--release', 'onet=27.0', '--no-report'];

  it('on a terminal, shows one progress line per stage, not the JSON log', async () => {
    // script(1) gives the command a terminal; in the worker, process.stderr is a pipe to the main thread.
    const command = [process.execPath, ...args(path.join(out.dir, 'tty'))].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const { stdout } = await exec('script', ['-qec', command, '/dev/null'], { cwd: PROJECT, env: { ...process.env, LMI_LOG_LEVEL: 'info' } });
    expect(stdout).toMatch(/^load: /m);
    expect(stdout).toMatch(/^publish: \S+/m);
    expect(stdout).toMatch(/^published snapshot /m);
    expect(stdout).not.toContain('"level"');
  });

  it('Ctrl-C during the run cancels it: nothing published, no temp files, exit 130', async () => {
    const output = path.join(out.dir, 'signal');
    const child = spawn(process.execPath, args(output), { cwd: PROJECT, env: { ...process.env, LMI_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    let signalled = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      // Once the run has logged its releases, its signal handlers are in place.
      if (!signalled && stderr.includes('"msg":"releases"')) signalled = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(stderr).toContain('cancelling: the run stops at its next step and publishes nothing');
    expect(stderr).toMatch(/lmi: cancelled: nothing was published/);
    expect(code, stderr).toBe(130);
    expect(stdout).toBe('');
    expect(existsSync(path.join(output, 'latest.json'))).toBe(false);
    expect(await readdir(path.join(output, 'snapshots')).catch(() => [])).toEqual([]);
    // No scratch files, no temp file, no lock: only the cache, the warehouse and the run history.
    const left = (await readdir(output)).filter((f) => !['cache', 'warehouse.duckdb', 'runs.jsonl', 'snapshots', '.work'].includes(f));
    expect(left).toEqual([]);
    expect(await readdir(path.join(output, '.work')).catch(() => [])).toEqual([]);
    const runs = (await readFile(path.join(output, 'runs.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(runs.at(-1)).toMatchObject({ status: 'cancelled', error: 'cancelled: nothing was published, and the previous latest.json is as it was' });
  });
});

describe('a reader that closes stdout early (lmi … | head)', () => {
  it.each([
    ["lmi docs, on Node's own thread", ['docs']],
    ['lmi run --help, in the worker thread', ['run', '--help']],
  ])('%s: exit 0, nothing on stderr', async (_, args) => {
    const child = spawn(process.execPath, [path.join(PROJECT, 'bin', 'lmi.js'), ...args], { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // The reader gone before the first line is written: every write meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('lmi run failures', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());

  it('a bad environment variable is one line naming it, and nothing is published', async () => {
    for (const [name, value, reason] of [
      ['LMI_DUCKDB_THREADS', 'abc', 'must be a whole number of at least 1'],
      ['LMI_DUCKDB_MEMORY', 'lots', 'must be a size such as 512MB or 2GB'],
      ['LMI_LOG_LEVEL', 'loud', 'Invalid option'],
    ] as const) {
      const r = await lmi(['run', '--mirror', MIRROR, '--output', out.dir, '--no-report'], { [name]: value });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`lmi: environment variable ${name}="${value}": ${reason}`);
    }
    expect(existsSync(path.join(out.dir, 'latest.json'))).toBe(false);
  });

  it('names the missing URL when a pinned release is not on the mirror', async () => {
    const r = await lmi(['run', '--release', 'oews=2025', '--mirror', MIRROR, '--output', out.dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('oesm25nat.zip');
  });

  it('refuses unknown sources and unsupported years with one line', async () => {
    for (const args of [
      ['--release', 'nope=1'],
      ['--oews-year', '2019'],
      ['--release', 'onet=27'],
    ]) {
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
      // The read-side commands find the folder through the same config file.
      const listed = await lmi(['snapshots', '--config', config]);
      expect(listed.stdout).toContain(`${latest.snapshot_id} (latest)`);
      expect((await lmi(['status', '--config', config])).stdout).toContain(`latest snapshot: ${latest.snapshot_id}`);
      await writeFile(config, JSON.stringify({ mirror: MIRROR, relases: { oews: '2023' } }));
      const bad = await lmi(['run', '--config', config]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/^lmi: .*lmi\.json: \(top level\): Unrecognized key: "relases"\n$/);
    } finally {
      await out.cleanup();
    }
  });
});

describe('settings are checked before any download, with messages that say what to do', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (out = await tempDir()));
  afterAll(async () => out.cleanup());
  const oneLine = (r: { code: number; stderr: string }) => {
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    return r.stderr;
  };

  it('a mirror folder that does not exist is named as such', async () => {
    expect(oneLine(await lmi(['run', '--mirror', '/nonexistent', '--output', out.dir]))).toBe('lmi: --mirror /nonexistent: the mirror folder does not exist\n');
  });

  it('a single-valued option given twice is refused, naming both values', async () => {
    expect(oneLine(await lmi(['run', '--mirror', MIRROR, '--mirror', '/elsewhere', '--output', out.dir]))).toMatch(
      /--mirror was given twice \(.*mirror, then \/elsewhere\); give it once/,
    );
  });

  it('an unsupported OEWS year gives the supported range; conflicting pins are an error', async () => {
    expect(oneLine(await lmi(['run', '--oews-year', '1999', '--mirror', MIRROR, '--output', out.dir]))).toMatch(
      /give a year from May 2021 to May 2024, or a later year once BLS publishes it/,
    );
    expect(oneLine(await lmi(['run', '--oews-year', '2021', '--release', 'oews=2022', '--mirror', MIRROR, '--output', out.dir]))).toMatch(
      /--oews-year 2021 and --release oews=2022 pin different OEWS releases/,
    );
  });

  it('a bad release in the config file names the config key', async () => {
    const { writeFile } = await import('node:fs/promises');
    const config = path.join(out.dir, 'bad-release.json');
    await writeFile(config, JSON.stringify({ mirror: MIRROR, releases: { bogus: '1' } }));
    expect(oneLine(await lmi(['run', '--config', config, '--output', out.dir]))).toContain(`${config}: releases.bogus: unknown source "bogus"`);
    await writeFile(config, JSON.stringify({ mirror: MIRROR, releases: { oews: '1999' } }));
    expect(oneLine(await lmi(['run', '--config', config, '--output', out.dir]))).toContain(`${config}: releases.oews: OEWS May 1999 is not supported`);
  });

  it('--areas with only national sources is refused rather than publishing a nation-only snapshot', async () => {
    expect(oneLine(await lmi(['run', '--areas', '06', '--mirror', MIRROR, '--output', out.dir]))).toMatch(/--areas 06: no configured source has state data/);
  });

  it('an unknown area, a bucketless target, a bad endpoint and an absurd threshold are refused before any request', async () => {
    const { writeFile } = await import('node:fs/promises');
    const server = await startMirrorServer();
    try {
      const run = (...args: string[]) => lmi(['run', '--mirror', server.url, '--output', out.dir, '--contact', 'a@example.org', ...args]);
      expect(oneLine(await run('--oews-scope', 'st', '--areas', '57'))).toBe(
        'lmi: --areas 57: 57 is not a state or territory; give FIPS codes or postal abbreviations, e.g. 06,48 or CA,TX\n',
      );
      expect(oneLine(await run('--oews-scope', 'st', '--areas', 'CA,ZZ,98'))).toMatch(/--areas CA,ZZ,98: ZZ, 98 are not states or territories/);
      expect(oneLine(await run('--publish', 's3://'))).toMatch(/--publish s3:\/\/: not an S3 bucket name/);
      expect(oneLine(await run('--publish', 's3://bucket/p', '--s3-endpoint', 'minio:9000'))).toMatch(/--s3-endpoint minio:9000: expected an http:\/\/ or https:\/\/ URL/);
      const config = path.join(out.dir, 'absurd-threshold.json');
      await writeFile(config, JSON.stringify({ checks: { coverage: { params: { floor_pct: 1e308 } } } }));
      expect(oneLine(await run('--config', config))).toMatch(/checks config: coverage\.params\.floor_pct = 1e\+308: expected a number from 0 to 1000000/);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
    const { parseAreas } = await import('../src/config.js');
    const { crosswalksDirDefault } = await import('../src/paths.js');
    expect(parseAreas('ca, tx,6,72', crosswalksDirDefault())).toEqual(['06', '48', '72']);
  });

  it('an output folder that cannot be made, and a damaged latest.json, say which path and what to do', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const blocker = path.join(out.dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    for (const command of [['run', '--mirror', MIRROR]]) {
      const r = await lmi([...command, '--output', path.join(blocker, 'output')]);
      expect(oneLine(r)).toMatch(/^lmi: cannot \w+ .*a-file\/output.*: a file is where a folder should be: move it, or choose another --output folder \(ENOTDIR\)\n$/);
    }
    const damaged = path.join(out.dir, 'damaged');
    await mkdir(path.join(damaged, 'snapshots'), { recursive: true });
    await writeFile(path.join(damaged, 'latest.json'), '{"snapshot_id": "2026');
    for (const command of [['run', '--mirror', MIRROR], ['snapshots'], ['status'], ['search', 'welder']]) {
      const r = await lmi([...command, '--output', damaged]);
      expect(oneLine(r), command.join(' ')).toMatch(/^lmi: .*damaged\/latest\.json is damaged \(.*JSON.*\); nothing was changed: restore it from a backup/);
    }
    expect(await readFile(path.join(damaged, 'latest.json'), 'utf8')).toBe('{"snapshot_id": "2026');
  });

  it('help shows real defaults and every config key; --version prints the version', async () => {
    const help = (await lmi(['run', '--help'])).stdout;
    expect(help).not.toContain('(default: [])');
    const { ConfigFileSchema } = await import('../src/config.js');
    const flat = help.replace(/\s+/g, ' ');
    for (const key of Object.keys(ConfigFileSchema.shape)) expect(flat, key).toMatch(new RegExp(`[:,] ${key}[, ]`));
    const version = await lmi(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(await readFile(path.join(PROJECT, 'package.json'), 'utf8')).version);
  });

  it('a failed S3 publish says why on one line (no AWS SDK Node-version notice)', async () => {
    const r = await lmi(['run', '--mirror', MIRROR, '--output', path.join(out.dir, 's3-down'), '--publish', 's3://bucket/prefix', '--s3-endpoint', 'http://127.0.0.1:9']);
    expect(oneLine({ ...r, stderr: r.stderr })).toMatch(/^lmi: publishing to s3:\/\/bucket\/prefix failed/);
    // Nothing that looks published is left: no snapshot folder, no latest.json.
    const { readdir } = await import('node:fs/promises');
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(out.dir, 's3-down', 'latest.json'))).toBe(false);
    expect(await readdir(path.join(out.dir, 's3-down', 'snapshots'))).toEqual([]);
  });
});

describe('pinning an older release, and lmi diff', () => {
  it('says when latest now holds an older release; diff shows only what changed, within 100 columns', async () => {
    const out = await tempDir();
    try {
      const first = await lmi(['run', '--oews-year', '2024', '--mirror', MIRROR, '--output', out.dir, '--no-report']);
      expect(first.code, first.stderr).toBe(0);
      const firstId = /published snapshot (\S+)/.exec(first.stdout)![1]!;
      const older = await lmi(['run', '--oews-year', '2023', '--mirror', MIRROR, '--output', out.dir, '--no-report']);
      expect(older.stdout).toMatch(/^note: latest\.json now points at OEWS May 2023 data, older than the previous latest snapshot .* \(May 2024\)/m);
      const diff = await lmi(['diff', firstId, 'latest', '--output', out.dir]);
      expect(diff.code, diff.stderr).toBe(0);
      const lines = diff.stdout.trimEnd().split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
      expect(lines[0]).toMatch(/^area\s+cluster\s+measure\s+before\s+after\s+change\s+pct$/);
      expect(diff.stdout).toMatch(/Healthcare & Human Services\s+jobs\s+[\d,]+\s+[\d,]+\s+-[\d,]+\s+-\d+\.\d%/);
      expect(diff.stdout).not.toMatch(/\s0\s+0%/);
      // Names the snapshots with their releases and the areas; legacy cluster names whole.
      expect(diff.stdout).toMatch(new RegExp(`^from ${firstId}: oews May 2024`, 'm'));
      expect(diff.stdout).toMatch(/^to \S+: oews May 2023/m);
      expect(diff.stdout).toMatch(/^areas: 99 U\.S\./m);
      expect(diff.stdout).toContain('legacy_16: Science, Technology, Engineering & Mathematics');
      expect(diff.stdout).not.toContain('…');
      const same = await lmi(['diff', 'latest', 'latest', '--output', out.dir]);
      expect(same.stdout).toMatch(/^no changes between latest and latest \(\d+ area × cluster rows compared\)\nfrom /);
    } finally {
      await out.cleanup();
    }
  });
});
