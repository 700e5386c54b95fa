// `lmi snapshots` and `lmi diff A B`.
import path from 'node:path';
import type { Command } from 'commander';
import { diffSnapshots, listSnapshots } from '../snapshots.js';

function table(rows: Record<string, unknown>[], columns: string[], textColumns = 3): string {
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join('\n') + '\n';
}

export function registerSnapshotCommands(program: Command): void {
  program
    .command('snapshots')
    .description('list published snapshots: id, created, releases, rows, quality')
    .option('--output <dir>', 'output folder', 'output')
    .option('--json', 'print JSON')
    .action(async (flags: { output: string; json?: boolean }) => {
      const list = await listSnapshots(path.resolve(flags.output));
      if (flags.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      const rows = list.map((s) => ({
        snapshot: `${s.snapshot_id}${s.latest ? ' (latest)' : ''}`,
        created: s.created_at,
        releases: Object.entries(s.releases).map(([k, v]) => `${k} ${v}`).join(', '),
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
    .option('--output <dir>', 'output folder', 'output')
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, flags: { output: string; json?: boolean }) => {
      const rows = await diffSnapshots(path.resolve(flags.output), a, b);
      if (flags.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      const measures = Object.keys(rows[0] ?? {}).filter((k) => k.endsWith('_a')).map((k) => k.slice(0, -2)).filter((m) => m !== 'employment_allocated');
      process.stdout.write(table(rows, ['area_code', 'area_name', 'framework', 'cluster', ...measures.flatMap((m) => [`${m}_a`, `${m}_b`, `${m}_change`])], 4));
    });
}
