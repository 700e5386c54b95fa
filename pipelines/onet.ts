// O*NET database (text edition): occupation titles, Job Zones, education/training/experience
// survey results, and for career exploration alternate and reported titles, RIASEC interests
// and related occupations. Quarterly releases; O*NET-SOC codes (15-1252.00) roll up to SOC (15-1252).
// Licensed CC BY 4.0: the snapshot's manifest and docs carry the attribution.
import path from 'node:path';
import { applyMirror } from '../src/acquire/mirror.js';
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { ConfigError, FetchError, HeaderDriftError } from '../src/errors.js';
import { checkTextFileEnd, firstLine, hasControlCharacters } from '../src/extract/text-file.js';
import { findEntry, withZip } from '../src/extract/zip.js';
import { CSV_BUFFER_BYTES, ident } from '../src/load/warehouse.js';
import { type Dataset, headlineOf, type RunPlan } from './dataset.js';

export const source = 'onet';

/** When to check: O*NET releases quarterly. */
export const schedule = { cron: '0 6 * * 1', why: 'weekly, Monday 06:00: O*NET releases quarterly' };

/** Releases the project knows, newest first. Discovery looks past the first, and falls back down the list. */
export const KNOWN_RELEASES = ['30.1', '30.0', '29.3', '29.2', '29.1', '29.0', '28.3', '28.2', '28.1', '28.0', '27.3', '27.2', '27.1', '27.0'] as const;

export const ONET_ATTRIBUTION =
  'This snapshot includes information from the O*NET Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 license.';

export function onetDatabaseUrl(release: string): string {
  const [major, minor] = parseOnetRelease(release);
  return `https://www.onetcenter.org/dl_files/database/db_${major}_${minor}_text.zip`;
}

export function parseOnetRelease(release: string): [number, number] {
  const m = /^(\d{2})\.(\d)$/.exec(release);
  if (!m) throw new ConfigError(`O*NET release must look like 27.0 or 29.3, not "${release}"`);
  return [Number(m[1]), Number(m[2])];
}

/** Newest release the source has: later ones than we know are tried first (x.(y+1), then (x+1).0). */
export async function discoverOnetRelease(ctx: RunContext): Promise<string> {
  const exists = (r: string) => ctx.fetcher.exists(applyMirror(onetDatabaseUrl(r), ctx.mirror));
  const newest = KNOWN_RELEASES[0];
  if (await exists(newest)) {
    let current: string = newest;
    for (;;) {
      const [major, minor] = parseOnetRelease(current);
      const next = minor < 3 && (await exists(`${major}.${minor + 1}`)) ? `${major}.${minor + 1}` : (await exists(`${major + 1}.0`)) ? `${major + 1}.0` : undefined;
      if (!next) return current;
      current = next;
    }
  }
  for (const r of KNOWN_RELEASES.slice(1)) if (await exists(r)) return r;
  throw new FetchError(onetDatabaseUrl(KNOWN_RELEASES.at(-1)!), `no O*NET database release (${KNOWN_RELEASES.at(-1)} to ${newest}) was found there`);
}

/** Files we read from the zip, the raw table each becomes, and the columns it must have. */
const FILES = [
  { file: 'Occupation Data.txt', table: 'raw_onet_occupation', columns: ['O*NET-SOC Code', 'Title', 'Description'] },
  { file: 'Job Zones.txt', table: 'raw_onet_job_zones', columns: ['O*NET-SOC Code', 'Job Zone'] },
  {
    file: 'Education, Training, and Experience.txt',
    table: 'raw_onet_ete',
    columns: ['O*NET-SOC Code', 'Element ID', 'Scale ID', 'Category', 'Data Value', 'Recommend Suppress'],
  },
  {
    file: 'Education, Training, and Experience Categories.txt',
    table: 'raw_onet_ete_categories',
    columns: ['Element ID', 'Scale ID', 'Category', 'Category Description'],
  },
  // Career exploration: everyday titles, RIASEC interests, related occupations.
  { file: 'Alternate Titles.txt', table: 'raw_onet_alternate_titles', columns: ['O*NET-SOC Code', 'Alternate Title'] },
  { file: 'Sample of Reported Titles.txt', table: 'raw_onet_reported_titles', columns: ['O*NET-SOC Code', 'Reported Job Title'] },
  { file: 'Interests.txt', table: 'raw_onet_interests', columns: ['O*NET-SOC Code', 'Element Name', 'Scale ID', 'Data Value'] },
  { file: 'Related Occupations.txt', table: 'raw_onet_related', columns: ['O*NET-SOC Code', 'Related O*NET-SOC Code', 'Relatedness Tier', 'Index'] },
] as const;

/** Fetch the database zip into the raw cache. */
export async function acquireOnet(ctx: RunContext, release: string): Promise<Acquired> {
  return acquire(ctx, source, onetDatabaseUrl(release), 'zip', release).catch((err: unknown) => {
    if (err instanceof FetchError && err.status === 404) throw new FetchError(err.url, `O*NET ${release} is not published there (404)`, 404);
    throw err;
  });
}

/** Extract the files we use and load each into a raw table. */
export async function loadOnet(ctx: RunContext, { fetched, provenance }: Acquired, release: string): Promise<LoadedSource> {
  const url = onetDatabaseUrl(release);
  const dir = path.join(ctx.workDir, 'onet');
  const tables: Record<string, number> = {};
  await withZip(fetched.file, async (zip) => {
    const readme = findEntry(zip, /(^|\/)Read Me\.txt$/i, 'Read Me.txt');
    const stated = /O\*NET (\d+\.\d) Database/.exec(await zip.readText(readme))?.[1];
    if (stated && stated !== release) throw new FetchError(url, `holds O*NET ${stated}, not ${release}`);
    for (const spec of FILES) {
      const entry = findEntry(zip, new RegExp(`(^|/)${spec.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), spec.file);
      const file = await zip.extract(entry, dir);
      const displayName = `${url} (${entry})`;
      await checkTextFileEnd(file, displayName, await firstLine(file, '\t'), '\t');
      // Tab-separated with no quoting: titles contain quote marks that are plain text.
      await ctx.warehouse.run(
        `CREATE OR REPLACE TABLE ${spec.table} AS SELECT * FROM read_csv($file, delim = '\t', quote = '', escape = '', header = true, all_varchar = true, auto_detect = true, buffer_size = ${CSV_BUFFER_BYTES})`,
        { file },
      );
      if (await hasControlCharacters(file)) await ctx.warehouse.stripControlCharacters(spec.table);
      const have = new Set((await ctx.warehouse.all<{ column_name: string }>(`DESCRIBE ${spec.table}`)).map((r) => r.column_name));
      for (const c of spec.columns) if (!have.has(c)) throw new HeaderDriftError(spec.file, undefined, c, `is missing (found: ${[...have].join(', ')})`);
      tables[spec.table] = Number(await ctx.warehouse.scalar(`SELECT count(*) FROM ${ident(spec.table)}`));
    }
  });
  return { provenance, tables, facts: { onet_release: release }, variables: { onet_release: { type: 'VARCHAR', value: release } } };
}

const releaseOf = (plan: RunPlan): string => plan.releases.onet!;

/** The O*NET database (text): job zones, education, titles, interests, related occupations. */
export const onetDataset: Dataset<Acquired> = {
  name: 'onet',
  title: 'O*NET',
  kind: 'fetched',
  schedule,
  headline: headlineOf('onet'),
  releaseOrder: Number,
  parseRelease: parseOnetRelease,
  discoverRelease: discoverOnetRelease,
  urls: (plan) => [{ source: 'onet', release: releaseOf(plan), url: onetDatabaseUrl(releaseOf(plan)) }],
  acquire: (ctx, plan) => acquireOnet(ctx, releaseOf(plan)),
  provenance: (a) => [a.provenance],
  load: async (ctx, a, plan) => [await loadOnet(ctx, a, releaseOf(plan))],
  attribution: ONET_ATTRIBUTION,
};
