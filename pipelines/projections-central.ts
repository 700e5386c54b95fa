// Projections Central (Projections Managing Partnership): long-term occupational projections
// for every state, made by the state LMI shops on a common method. Two layouts:
//  - the paged JSON API (default), one page per request, pager.total_pages says how many;
//  - the bulk CSV download (`format: 'csv'`, with its URL).
// Values are persons rounded to tens, 'NA' where confidential; stfips is not zero-padded;
// the national row's area name has a leading space.
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { checkTextFileEnd, hasControlCharacters } from '../src/extract/text-file.js';
import { z } from 'zod';
import { CSV_BUFFER_BYTES, type Warehouse } from '../src/load/warehouse.js';
import { applyMirror } from '../src/acquire/mirror.js';
import type { Fetched } from '../src/acquire/fetch.js';
import type { Acquired, LoadedSource, RunContext, SourceProvenance } from '../src/context.js';
import { DataError, FetchError, HeaderDriftError } from '../src/errors.js';
import { checkValue, type ColumnSpec, invalidValueSql } from '../src/extract/columns.js';
import { ConfigError } from '../src/errors.js';
import { type Dataset, headlineOf, optionsOf } from './dataset.js';

export const source = 'projections_central';

/** When to check: states publish their projections at different times; a weekly look is cheap (conditional requests). */
export const schedule = { cron: '0 7 * * 1', why: 'weekly, Monday 07:00: states publish on their own calendars' };

/** Rows per API page: the API accepts 10, 25, 50, 100 or 1000; fewer requests is kinder. */
export const PC_ITEMS_PER_PAGE = 1000;

export function projectionsCentralApiUrl(page: number, itemsPerPage = PC_ITEMS_PER_PAGE): string {
  return `https://public.projectionscentral.org/Projections/LongTermRestJson/all?items_per_page=${itemsPerPage}&page=${page}`;
}

/** The config file's "projections_central": off unless given. */
export const ProjectionsCentralConfigSchema = z.object({
  /** json: the paged API; csv: the bulk download at `url`. */
  format: z.enum(['json', 'csv']).default('json'),
  /** The bulk CSV's URL (required for csv). */
  url: z.string().optional(),
});
export type ProjectionsCentralConfig = z.infer<typeof ProjectionsCentralConfigSchema>;

const NA = /^NA$/i;
/** Our raw columns, named as the bulk CSV names them; the API's field names beside them. */
export const PC_COLUMNS: readonly (ColumnSpec & { api: string })[] = [
  { key: 'stfips', api: 'STFIPS', header: /^stfips$/i, label: 'stfips', kind: 'number' },
  { key: 'areaname', api: 'Area', header: /^areaname$/i, label: 'areaname', kind: 'text' },
  { key: 'code', api: 'OccCode', header: /^code$/i, label: 'code', kind: 'soc' },
  { key: 'name', api: 'Title', header: /^name$/i, label: 'name', kind: 'text' },
  { key: 'baseyear', api: 'BaseYear', header: /^baseyear$/i, label: 'baseyear', kind: 'number' },
  { key: 'base', api: 'Base', header: /^base$/i, label: 'base', kind: 'number', markers: NA },
  { key: 'projyear', api: 'ProjYear', header: /^projyear$/i, label: 'projyear', kind: 'number' },
  { key: 'proj', api: 'Projected', header: /^proj$/i, label: 'proj', kind: 'number', markers: NA },
  { key: 'change', api: 'Change', header: /^change$/i, label: 'change', kind: 'number', markers: NA },
  { key: 'percentchange', api: 'PercentChange', header: /^percentchange$/i, label: 'percentchange', kind: 'number', markers: NA },
  { key: 'avgannualopenings', api: 'AvgAnnualOpenings', header: /^avgannualopenings$/i, label: 'avgannualopenings', kind: 'number', markers: NA },
];

const CellSchema = z.union([z.string(), z.number(), z.null()]);
const PageSchema = z.object({
  rows: z.array(z.record(z.string(), CellSchema)),
  pager: z.object({ total_pages: z.coerce.number().int().min(1), current_page: z.coerce.number().optional(), total_items: z.coerce.number().optional() }),
});

/** Pages, as fetched; the JSON is parsed and checked at load. */
export interface PcAcquired extends Acquired {
  pages: Fetched[];
  format: 'json' | 'csv';
}

async function readPage(file: string, url: string): Promise<z.infer<typeof PageSchema>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new FetchError(url, `answered with something that is not JSON (${(err as Error).message})`);
  }
  const page = PageSchema.safeParse(json);
  if (!page.success) throw new FetchError(url, `answered JSON without the expected rows and pager (${page.error.issues[0]!.path.join('.')}: ${page.error.issues[0]!.message})`);
  return page.data;
}

export async function acquireProjectionsCentral(ctx: RunContext, config: ProjectionsCentralConfig): Promise<PcAcquired> {
  const fetchOne = (url: string, kind: 'text') => ctx.fetcher.fetch(url, applyMirror(url, ctx.mirror), kind);
  let pages: Fetched[];
  let url: string;
  if (config.format === 'csv') {
    if (!config.url) throw new FetchError('projections_central', 'format csv needs the bulk file URL (projections_central.url)');
    url = config.url;
    pages = [await fetchOne(url, 'text')];
  } else {
    url = projectionsCentralApiUrl(0);
    const first = await fetchOne(url, 'text');
    const { pager } = await readPage(first.file, first.requestedUrl);
    // The API numbers pages from 0.
    const rest = await Promise.all(Array.from({ length: pager.total_pages - 1 }, (_, i) => fetchOne(projectionsCentralApiUrl(i + 1), 'text')));
    pages = [first, ...rest];
  }
  // One provenance entry for the whole set of pages: its hash covers every page, in order.
  const hash = createHash('sha256');
  for (const p of pages) hash.update(p.sha256);
  const provenance: SourceProvenance = {
    source,
    url,
    requested_url: pages[0]!.requestedUrl,
    bytes: pages.reduce((a, p) => a + p.bytes, 0),
    sha256: pages.length === 1 ? pages[0]!.sha256 : hash.digest('hex'),
    fetched_at: pages
      .map((p) => p.fetchedAt)
      .sort()
      .at(-1)!,
    outcome: pages.every((p) => p.outcome === 'not_modified') ? 'not_modified' : pages.some((p) => p.outcome === 'new') ? 'new' : 'updated',
    release: 'pending',
  };
  return { fetched: pages[0]!, pages, provenance, format: config.format };
}

/** The first line of a CSV file, as its cells. */
async function csvHeader(file: string): Promise<string[]> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 16), 0, 1 << 16, 0);
    return Papa.parse<string[]>(buffer.toString('utf8', 0, bytesRead), { preview: 1 }).data[0] ?? [];
  } finally {
    await handle.close();
  }
}

/**
 * The bulk CSV into raw_projections_central, read by DuckDB's own CSV reader (Papa Parse and a
 * spool took Node's one thread for a noticeable time): the columns are found by their
 * header in Node, every value is checked in SQL, and the first bad one (by row, then column) is
 * thrown as checkValue words it. Row numbers are the file's lines (the header is line 1).
 */
async function loadPcCsv(ctx: RunContext, file: Fetched): Promise<number> {
  const name = new URL(file.requestedUrl).pathname.split('/').pop() ?? 'projections.csv';
  const header = await csvHeader(file.file);
  await checkTextFileEnd(file.file, name, header, ',');
  const index = PC_COLUMNS.map((c) => {
    const i = header.findIndex((h) => c.header.test(h.trim()));
    if (i < 0) throw new HeaderDriftError(name, undefined, c.label, `is missing from the header (found: ${header.join(', ')})`);
    return i;
  });
  // Columns by position (c0, c1 …): the file's own names are untrusted text, never SQL.
  const cells = `read_csv($file, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}, null_padding = true, parallel = false, buffer_size = ${CSV_BUFFER_BYTES}) WITH ORDINALITY`;
  // Spaces trimmed (the national row's area name starts with one): trim() with a list of
  // characters, to match JS's trim exactly, made the load ten times slower. Any other stray
  // whitespace around a number or code fails its check below. Blank lines are skipped and not
  // counted, as Papa Parse's skipEmptyLines did.
  try {
    await ctx.warehouse.run(
      `CREATE OR REPLACE TABLE raw_projections_central AS
       SELECT ${PC_COLUMNS.map((c, k) => `nullif(trim(c${index[k]!}), '') AS ${c.key}`).join(', ')}, CAST(ordinality + 1 AS VARCHAR) AS source_row FROM ${cells}`,
      { file: file.file },
    );
  } catch (err) {
    throw new DataError(name, 0, 'any', `is not a CSV file DuckDB can read: ${(err as Error).message.replace(/\s+/g, ' ')}`);
  }
  const params: Record<string, string> = {};
  const firstBad = PC_COLUMNS.map((c, k) => `min(CAST(source_row AS BIGINT)) FILTER (WHERE ${invalidValueSql(c, c.key, `k${k}`, params)})`);
  const rows = (
    await ctx.warehouse.all<Record<string, number | null>>(`SELECT count(*) AS n, ${firstBad.map((sql, k) => `${sql} AS k${k}`).join(', ')} FROM raw_projections_central`, params)
  )[0]!;
  const bad = PC_COLUMNS.map((_, k) => rows[`k${k}`]).reduce<[number, number] | undefined>(
    (first, row, k) => (row != null && (!first || row < first[0]) ? [row, k] : first),
    undefined,
  );
  if (bad) {
    const [row, k] = bad;
    const raw = await ctx.warehouse.scalar(`SELECT c${index[k]!} FROM ${cells} WHERE ordinality = $ordinality`, { file: file.file, ordinality: row - 1 });
    checkValue(name, undefined, row, PC_COLUMNS[k]!, raw === null ? null : String(raw), index[k]!);
    throw new DataError(name, row, PC_COLUMNS[k]!.label, 'holds a value that is not accepted');
  }
  return Number(rows.n);
}

/** Rows of every page of the API, checked, in the CSV column order, with a source row label. */
async function* pcApiRows(acquired: PcAcquired): AsyncGenerator<(string | null)[]> {
  for (const [p, page] of acquired.pages.entries()) {
    const { rows } = await readPage(page.file, page.requestedUrl);
    const label = `Projections Central API page ${p}`;
    for (const [r, row] of rows.entries()) {
      yield [
        ...PC_COLUMNS.map((c, k) => {
          if (!(c.api in row)) throw new DataError(label, r + 1, c.api, 'is missing from the row');
          const v = row[c.api];
          return checkValue(label, undefined, r + 1, c, v === null || v === undefined ? null : String(v), k);
        }),
        `${p}:${r + 1}`,
      ];
    }
  }
}

export async function loadProjectionsCentral(ctx: RunContext, acquired: PcAcquired): Promise<LoadedSource> {
  const columns = [...PC_COLUMNS.map((c) => c.key), 'source_row'];
  const rows =
    acquired.format === 'csv' ? await loadPcCsv(ctx, acquired.pages[0]!) : await ctx.warehouse.loadTextRows('raw_projections_central', columns, pcApiRows(acquired), ctx.workDir);
  // The CSV is scanned first (a rewrite only when it has one); API pages are JSON, rewritten always.
  if (acquired.format !== 'csv' || (await hasControlCharacters(acquired.pages[0]!.file))) await ctx.warehouse.stripControlCharacters('raw_projections_central');
  const periods = await ctx.warehouse.all<{ baseyear: string; projyear: string }>('SELECT DISTINCT baseyear, projyear FROM raw_projections_central ORDER BY 1');
  if (periods.length !== 1)
    throw new DataError(
      acquired.provenance.requested_url,
      0,
      'baseyear/projyear',
      `holds ${periods.length} projection periods (${periods.map((p) => `${p.baseyear}–${p.projyear}`).join(', ')}); expected one`,
    );
  const { baseyear, projyear } = periods[0]!;
  const label = `${baseyear}–${projyear}`;
  return {
    provenance: { ...acquired.provenance, release: label },
    tables: { raw_projections_central: rows },
    facts: { pc_period: label, pc_base_year: Number(baseyear), pc_proj_year: Number(projyear) },
  };
}

/** A run without Projections Central still has the (empty) raw table the SQL reads. */
export async function createEmptyProjectionsCentral(warehouse: Warehouse): Promise<void> {
  await warehouse.run(
    `CREATE OR REPLACE TABLE raw_projections_central AS SELECT ${[...PC_COLUMNS.map((c) => c.key), 'source_row'].map((c) => `NULL::VARCHAR AS ${c}`).join(', ')} WHERE false`,
  );
}

/** `--projections-central [json|csv]` and `--projections-central-url URL` over the config file's value. */
function resolveProjectionsCentral(flags: Record<string, unknown>, config: ProjectionsCentralConfig | undefined): ProjectionsCentralConfig | undefined {
  const given = flags.projectionsCentral as string | boolean | undefined;
  if (given === undefined) return config;
  const format = given === true ? 'json' : given;
  if (format !== 'json' && format !== 'csv') throw new ConfigError(`--projections-central ${format}: expected json or csv`);
  const url = (flags.projectionsCentralUrl as string | undefined) ?? config?.url;
  if (format === 'csv' && !url) throw new ConfigError('--projections-central csv needs --projections-central-url (the bulk CSV)');
  return { format, url };
}

/** State long-term projections (Projections Central), when the run asks for them. */
export const projectionsCentralDataset: Dataset<PcAcquired, ProjectionsCentralConfig> = {
  name: source,
  kind: 'fetched',
  headline: headlineOf(source),
  schedule,
  options: {
    configKey: 'projections_central',
    schema: ProjectionsCentralConfigSchema,
    flags: [
      { flags: '--projections-central [format]', description: 'add state projections from Projections Central: json (the paged API, default) or csv' },
      { flags: '--projections-central-url <url>', description: 'the Projections Central bulk CSV (with --projections-central csv)' },
    ],
    resolve: resolveProjectionsCentral,
    inUse: (value) => value !== undefined,
    stateData: { has: (value) => value !== undefined, hint: '--projections-central' },
  },
  urls: (plan) => {
    const pc = optionsOf<ProjectionsCentralConfig>(plan, projectionsCentralDataset);
    return pc ? [{ source, release: 'current', url: pc.format === 'csv' ? pc.url! : projectionsCentralApiUrl(0) }] : [];
  },
  acquire: async (ctx, plan) => {
    const pc = optionsOf<ProjectionsCentralConfig>(plan, projectionsCentralDataset);
    return pc ? acquireProjectionsCentral(ctx, pc) : undefined;
  },
  provenance: (a) => [a.provenance],
  load: async (ctx, a) => [await loadProjectionsCentral(ctx, a)],
  absent: (ctx) => createEmptyProjectionsCentral(ctx.warehouse),
};
