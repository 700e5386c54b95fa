// `lmi snapshots` and `lmi diff A B`.
import path from 'node:path';
import type { Command } from 'commander';
import { resolveOutputDir } from '../config.js';
import { CONFIG_OUTPUT_HELP, OUTPUT_HELP } from './options.js';
import { diffChanges } from '../publish/diff.js';
import { DEFAULT_RETENTION, diffSnapshots, listSnapshots, pruneSnapshots } from '../snapshots.js';
import { ConfigError } from '../errors.js';
import { environment } from '../env.js';
import { createLogger } from '../log.js';
import { withRunLock } from '../operate/runs.js';
import { snapshotsDir } from '../publish/manifest.js';

/**
 * A plain-text table. `maxWidths` caps a column's width: a longer cell is not cut but printed
 * whole on a line of its own above its row (the row's earlier cells with it), so nothing is lost.
 */
function table(rows: Record<string, unknown>[], columns: string[], textColumns = 3, maxWidths: Record<string, number> = {}): string {
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length).filter((n) => n <= (maxWidths[c] ?? Number.POSITIVE_INFINITY))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const body = rows.flatMap((r) => {
    const long = columns.findIndex((c, i) => text(r[c]).length > widths[i]!);
    if (long < 0) return [line(columns.map((c) => text(r[c])))];
    const head = columns.slice(0, long + 1).map((c, i) => (i === long ? text(r[c]) : text(r[c]).padEnd(widths[i]!)));
    return [head.join('  '), line(columns.map((c, i) => (i <= long ? '' : text(r[c]))))];
  });
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...body].join('\n') + '\n';
}

/** `text` as lines of at most `width` columns, broken between items (a continuation indented by two). */
function wrap(items: string[], width = 100, separator = ', '): string {
  const lines: string[] = [];
  let current = '';
  for (const item of items) {
    const next = current ? `${current}${separator}${item}` : item;
    if (current && next.length > width) {
      lines.push(current + separator.trimEnd());
      current = `  ${item}`;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines.join('\n') + '\n';
}

/** Short names that keep a diff line within 100 columns. */
const MEASURE_LABELS: Record<string, string> = {
  employment: 'jobs',
  employment_allocated: 'jobs (alloc.)',
  annual_openings: 'openings/yr',
  median_annual_wage: 'median wage',
  high_opportunity_occupations: 'high-opp occ.',
};

export function registerSnapshotCommands(program: Command): void {
  program
    .command('snapshots')
    .description('list published snapshots: id, created, releases, rows, quality')
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .option('--json', 'print JSON')
    .action(async (flags: { output?: string; config?: string; json?: boolean }) => {
      const list = await listSnapshots(await resolveOutputDir(flags));
      if (flags.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      const rows = list.map((s) => ({
        snapshot: `${s.snapshot_id}${s.latest ? ' (latest)' : ''}`,
        created: s.created_at,
        releases: Object.entries(s.releases)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        occupations: s.rows.occupations,
        quality: s.quality,
      }));
      process.stdout.write(rows.length ? table(rows, ['snapshot', 'created', 'releases', 'occupations', 'quality']) : 'no snapshots published yet\n');
    });

  program
    .command('diff')
    .description('what changed between two snapshots, per area and cluster (employment, openings, median wage, high-opportunity count)')
    .argument('<a>', 'older snapshot id (or "latest")')
    .argument('<b>', 'newer snapshot id (or "latest")')
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, flags: { output?: string; config?: string; json?: boolean }) => {
      const outputDir = await resolveOutputDir(flags);
      const rows = await diffSnapshots(outputDir, a, b);
      if (flags.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      // Which snapshots, with their releases, and which areas: the table names them by code.
      const list = await listSnapshots(outputDir);
      const find = (id: string) => list.find((s) => (id === 'latest' ? s.latest : s.snapshot_id === id));
      const described = (label: string, id: string) => {
        const s = find(id);
        const releases = s ? Object.entries(s.releases).map(([k, v]) => `${k} ${v}`) : [];
        return wrap(releases.map((r, i) => (i === 0 ? `${label} ${s!.snapshot_id}: ${r}` : r)).concat(releases.length ? [] : [`${label} ${id}`]));
      };
      const areas = [...new Map(rows.map((r) => [String(r.area_code), String(r.area_name)]))];
      const footer = () =>
        described('from', a) +
        described('to', b) +
        wrap(
          areas.map(([code, name], i) => `${i === 0 ? 'areas: ' : ''}${code} ${name}`),
          100,
          '; ',
        );
      const changes = diffChanges(rows);
      if (changes.length === 0) return void process.stdout.write(`no changes between ${a} and ${b} (${rows.length} area × cluster rows compared)\n${footer()}`);
      // Long form, one changed figure a line, so it fits a 100-column terminal; a cluster name
      // too long for its column (the legacy framework's) gets a line of its own, never cut.
      const signed = (n: number | null, suffix = '') => (n === null ? '' : `${n > 0 ? '+' : ''}${n.toLocaleString('en-US')}${suffix}`);
      const out = changes.map((c) => ({
        area: c.area_code,
        cluster: `${c.framework === '2024' ? '' : `${c.framework}: `}${c.cluster}`,
        measure: MEASURE_LABELS[c.measure] ?? c.measure,
        before: c.before,
        after: c.after,
        change: signed(c.change),
        pct: signed(c.change_pct, '%'),
      }));
      process.stdout.write(table(out, ['area', 'cluster', 'measure', 'before', 'after', 'change', 'pct'], 3, { cluster: 30 }));
      process.stdout.write(
        `${changes.length} figure${changes.length === 1 ? '' : 's'} changed in ${new Set(changes.map((c) => `${c.area_code}|${c.framework}|${c.cluster}`)).size} of ${rows.length} area × cluster rows\n${footer()}`,
      );
    });

  program
    .command('prune')
    .description('remove published snapshots past the newest N (never the one latest.json names)')
    .option('--keep <n>', 'snapshots to keep', String(DEFAULT_RETENTION))
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .action(async (flags: { keep: string; output: string }) => {
      const keep = Number(flags.keep);
      if (!/^\d+$/.test(flags.keep) || keep < 1) throw new ConfigError(`--keep ${flags.keep}: give a whole number of at least 1`);
      const outputDir = await resolveOutputDir(flags);
      const removed = await withRunLock(outputDir, 'lmi prune', createLogger(environment().LMI_LOG_LEVEL, undefined, 'json'), () => pruneSnapshots(outputDir, keep));
      process.stdout.write(
        removed.length ? `removed ${removed.length} snapshot${removed.length === 1 ? '' : 's'}: ${removed.join(', ')}\n` : `nothing to remove: ${keep} or fewer snapshots\n`,
      );
    });
  program
    .command('report')
    .description('rebuild the report (static site, demand.xlsx, CSV) of a published snapshot, in its report/ folder')
    .option('--snapshot <id>', 'snapshot id, or "latest"', 'latest')
    .option('--output <dir>', OUTPUT_HELP)
    .option('--config <file>', CONFIG_OUTPUT_HELP)
    .action(async (flags: { snapshot: string; output: string }) => {
      const outputDir = await resolveOutputDir(flags);
      await withRunLock(outputDir, 'lmi report', createLogger(environment().LMI_LOG_LEVEL, undefined, 'json'), () => rebuildReport(outputDir, flags.snapshot));
    });
}

/** Rebuild one published snapshot's report (the caller holds the run lock). */
async function rebuildReport(outputDir: string, snapshot: string): Promise<void> {
  const list = await listSnapshots(outputDir);
  const i = list.findIndex((s) => (snapshot === 'latest' ? s.latest : s.snapshot_id === snapshot));
  if (i < 0) throw new ConfigError(`no published snapshot "${snapshot}" in ${snapshotsDir(outputDir)} (see lmi snapshots)`);
  // Built as at publishing: "what changed" compares with the snapshot published before it.
  const previous = list[i - 1];
  const { buildReport } = await import('../publish/report/index.js');
  const dir = path.join(snapshotsDir(outputDir), list[i]!.snapshot_id);
  const report = await buildReport(dir, { previousDir: previous && path.join(snapshotsDir(outputDir), previous.snapshot_id) });
  process.stdout.write(`report of snapshot ${list[i]!.snapshot_id}: ${report.pages} pages in ${path.relative(process.cwd(), report.dir) || report.dir}/index.html\n`);
}
