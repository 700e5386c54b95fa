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

function table(rows: Record<string, unknown>[], columns: string[], textColumns = 3): string {
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join('\n') + '\n';
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
      const rows = await diffSnapshots(await resolveOutputDir(flags), a, b);
      if (flags.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      const changes = diffChanges(rows);
      if (changes.length === 0) return void process.stdout.write(`no changes between ${a} and ${b} (${rows.length} area × cluster rows compared)\n`);
      // Long form, one changed figure a line, so it fits a 100-column terminal.
      const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
      const signed = (n: number | null, suffix = '') => (n === null ? '' : `${n > 0 ? '+' : ''}${n.toLocaleString('en-US')}${suffix}`);
      const out = changes.map((c) => ({
        area: clip(c.area_code, 6),
        cluster: clip(`${c.framework === '2024' ? '' : `[${c.framework}] `}${c.cluster}`, 28),
        measure: MEASURE_LABELS[c.measure] ?? c.measure,
        before: c.before,
        after: c.after,
        change: signed(c.change),
        pct: signed(c.change_pct, '%'),
      }));
      process.stdout.write(table(out, ['area', 'cluster', 'measure', 'before', 'after', 'change', 'pct']));
      process.stdout.write(
        `${changes.length} figure${changes.length === 1 ? '' : 's'} changed in ${new Set(changes.map((c) => `${c.area_code}|${c.framework}|${c.cluster}`)).size} of ${rows.length} area × cluster rows\n`,
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
