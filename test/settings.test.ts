// The one precedence rule of every setting: command-line flags over the config file over the
// environment over the defaults declared with the setting (src/config.ts, src/settings.ts).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOutputDir, resolveSourceOptions, type SourceFlags } from '../src/config.js';
import type { Environment } from '../src/env.js';
import { DEFAULT_DUCKDB } from '../src/load/duckdb-settings.js';
import { DEFAULT_OUTPUT_DIR } from '../src/settings.js';
import { tempDir } from './helpers.js';

const env = (over: Partial<Environment> = {}): Environment => ({
  LMI_DUCKDB_MEMORY: DEFAULT_DUCKDB.memoryLimit,
  LMI_DUCKDB_THREADS: DEFAULT_DUCKDB.threads,
  LMI_DEBUG: false,
  ...over,
});

describe('settings: flags over the config file over the environment over defaults', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let config: string;
  beforeAll(async () => {
    out = await tempDir();
    config = path.join(out.dir, 'lmi.json');
    await writeFile(config, JSON.stringify({ output: path.join(out.dir, 'from-config'), contact: 'config@example.org', oews_scopes: ['st'], industries: true }));
  });
  afterAll(async () => out.cleanup());
  const resolve = (flags: SourceFlags, environment = env()) => resolveSourceOptions(flags, (name) => flags[name] !== undefined, environment);

  it('the contact e-mail: --contact, else the config file, else LMI_CONTACT', async () => {
    const fromEnv = env({ LMI_CONTACT: 'env@example.org' });
    expect((await resolve({ config, contact: 'flag@example.org' }, fromEnv)).fetch?.contact).toBe('flag@example.org');
    expect((await resolve({ config }, fromEnv)).fetch?.contact).toBe('config@example.org');
    expect((await resolve({}, fromEnv)).fetch?.contact).toBe('env@example.org');
  });

  it('the output folder: --output, else the config file, else the default, for runs and readers alike', async () => {
    expect((await resolve({ config })).outputDir).toBe(path.join(out.dir, 'from-config'));
    expect((await resolve({ config, output: path.join(out.dir, 'flag') })).outputDir).toBe(path.join(out.dir, 'flag'));
    expect((await resolve({})).outputDir).toBe(path.resolve(DEFAULT_OUTPUT_DIR));
    expect(await resolveOutputDir({ config })).toBe(path.join(out.dir, 'from-config'));
    expect(await resolveOutputDir({})).toBe(path.resolve(DEFAULT_OUTPUT_DIR));
  });

  it("a dataset's own settings: its flags over its config key; DuckDB's from the environment", async () => {
    expect((await resolve({ config })).datasets).toMatchObject({ oews: ['st'], oews_industry: true });
    expect((await resolve({ config, oewsScope: ['ma'], industries: false })).datasets).toMatchObject({ oews: ['ma'], oews_industry: false });
    expect((await resolve({})).datasets).toMatchObject({ oews_industry: false });
    expect((await resolve({}, env({ LMI_DUCKDB_MEMORY: '2GB', LMI_DUCKDB_THREADS: 3 }))).duckdb).toEqual({ memoryLimit: '2GB', threads: 3 });
  });
});
