// `npm run bench`: whole-process figures on this machine (wall seconds, peak RSS; the median of
// several runs), checked against the targets in docs/performance.md:
//  1. an all-data-scale OEWS workbook (≈414,000 rows × 32) → DuckDB table, with the pipeline's
//     reader and with exceljs's WorkbookReader, and their ratio;
//  2. a full national + every-state refresh from a warm raw cache, to a published snapshot;
//  3. a no-op refresh where every source answers 304 (no body downloaded).
// Inputs are built once under output/bench/ from the real files in ../shared.
import { execFile } from 'node:child_process';
import { cp, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { PROJECT_ROOT } from '../src/paths.js';
import { startMirrorServer } from '../testkit/mirror-server.js';
import { writeXlsx } from '../testkit/xlsx-writer.js';
import { benchWorkbook, nationalRows, readAreas, rowsForAreas } from './workbook.js';

const exec = promisify(execFile);
const SHARED = process.env.LMI_SHARED ?? path.resolve(PROJECT_ROOT, '..', 'shared');
const DIR = path.join(PROJECT_ROOT, 'output', 'bench');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGETS = { workbookSeconds: 8, workbookMB: 400, ratio: 2.5, refreshSeconds: 10, noopSeconds: 2, reportSeconds: 3, reportMB: 150, historySeconds: 15 };

interface Measure {
  seconds: number;
  peakMB: number;
  stdout: string;
}

/** Run a node process (with the RSS reporter preloaded); wall time from here, peak RSS from it. */
async function measure(args: string[], env: Record<string, string> = {}): Promise<Measure> {
  const rssFile = path.join(os.tmpdir(), `lmi-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = process.hrtime.bigint();
  const { stdout } = await exec(process.execPath, ['--import', path.join(PROJECT_ROOT, 'bench', 'report-rss.mjs'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, LMI_BENCH_RSS_FILE: rssFile, LMI_LOG_LEVEL: 'warn' },
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMB = Number(await readFile(rssFile, 'utf8'));
  await rm(rssFile, { force: true });
  return { seconds, peakMB, stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function repeat(n: number, run: () => Promise<Measure>): Promise<{ seconds: number; peakMB: number; runs: Measure[] }> {
  const runs: Measure[] = [];
  for (let i = 0; i < n; i++) runs.push(await run());
  return { seconds: median(runs.map((r) => r.seconds)), peakMB: median(runs.map((r) => r.peakMB)), runs };
}

/** A mirror with every source a full refresh reads: the real files, and a state workbook built from real rows. */
async function refreshMirror(): Promise<string> {
  const mirror = path.join(DIR, 'mirror');
  const stateZip = path.join(mirror, 'www.bls.gov/oes/special-requests/oesm24st.zip');
  if (existsSync(stateZip)) return mirror;
  await cp(path.join(SHARED, 'mirror'), mirror, { recursive: true });
  const pcDir = path.join(mirror, 'public.projectionscentral.org/downloads');
  await mkdir(pcDir, { recursive: true });
  await copyFile(path.join(SHARED, 'data/lmi/projections_central/2020-2030/ltprojections.csv'), path.join(pcDir, 'ltprojections.csv'));
  // Every state and territory of oe.area.txt, each with the real national May 2024 rows.
  const states = (await readAreas(SHARED)).filter((a) => a.type === 2 || a.type === 3);
  const rows = () => rowsForAreas(national, states);
  const national = await nationalRows(SHARED);
  const xlsx = path.join(DIR, 'state_M2024_dl.xlsx');
  await writeXlsx(xlsx, [{ name: 'state_M2024_dl', rows: rows() }], { sharedStrings: true });
  await writeFile(stateZip, zipSync({ 'oesm24st/state_M2024_dl.xlsx': await readFile(xlsx) }, { level: 0 }));
  return mirror;
}

async function main() {
  await mkdir(DIR, { recursive: true });
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${RUNS} runs`);

  // 1. Workbook → DuckDB
  const wb = await benchWorkbook(SHARED, DIR);
  console.log(`\n1. ${wb.rows.toLocaleString('en-US')} rows × ${wb.columns} columns (${path.relative(PROJECT_ROOT, wb.file)}) → DuckDB table`);
  const loader = (reader: string) => () => measure(['--import', 'tsx', path.join('bench', 'load-workbook.ts'), reader, wb.file]);
  const results: Record<string, { seconds: number; peakMB: number }> = {};
  for (const reader of ['pipeline', 'exceljs']) {
    const r = await repeat(RUNS, loader(reader));
    for (const run of r.runs) {
      const out = JSON.parse(run.stdout) as { rows: number; totEmpSum: string };
      if (out.rows !== wb.rows || out.totEmpSum !== wb.totEmpSum)
        throw new Error(`${reader}: loaded ${out.rows} rows, Σ TOT_EMP ${out.totEmpSum}; the workbook was made from ${wb.rows} rows, Σ ${wb.totEmpSum}`);
    }
    results[reader] = r;
    console.log(`   ${reader.padEnd(8)} ${r.seconds.toFixed(2)} s  ${r.peakMB} MB peak   (rows and Σ TOT_EMP = ${wb.totEmpSum} checked)`);
  }
  const ratio = results.exceljs!.seconds / results.pipeline!.seconds;
  console.log(`   ratio    ${ratio.toFixed(2)}× faster than exceljs WorkbookReader`);

  // 2 and 3: refreshes against a loopback server holding every source.
  const mirror = await refreshMirror();
  const server = await startMirrorServer([mirror]);
  const out = path.join(DIR, 'refresh-output');
  await rm(out, { recursive: true, force: true });
  const lmi = (...extra: string[]) =>
    measure([
      path.join('bin', 'lmi.js'), 'run', '--output', out, '--mirror', server.url, '--contact', 'bench@example.org',
      '--oews-scope', 'nat', '--oews-scope', 'st',
      '--projections-central', 'csv', '--projections-central-url', 'https://public.projectionscentral.org/downloads/ltprojections.csv',
      ...extra,
    ]);
  // Set inside the try below (the server is closed in its finally).
  let refresh!: Awaited<ReturnType<typeof repeat>>, noop!: Awaited<ReturnType<typeof repeat>>, bodies: number, report!: { seconds: number; peakMB: number; added: { seconds: number; peakMB: number } }, history!: Awaited<ReturnType<typeof repeat>>;
  try {
    const cold = await lmi();
    console.log(`\n2. full national + every-state refresh (OEWS national and state, EP, O*NET, Projections Central)`);
    console.log(`   cold (downloads everything): ${cold.seconds.toFixed(2)} s, ${cold.peakMB} MB   ${cold.stdout.trim()}`);
    // Without the report first, so the last runs (and the no-op check after them) are the default.
    const bare = await repeat(RUNS, () => lmi('--force', '--no-report'));
    refresh = await repeat(RUNS, () => lmi('--force'));
    console.log(`   warm raw cache, rebuilt and published: ${refresh.seconds.toFixed(2)} s  ${refresh.peakMB} MB peak`);
    // What the report (every area's pages, demand.xlsx, CSV) adds to that refresh: the same
    // refresh with --no-report, and the report rebuilt on its own (lmi report).
    const alone = await repeat(RUNS, () => measure([path.join('bin', 'lmi.js'), 'report', '--output', out]));
    const added = { seconds: refresh.seconds - bare.seconds, peakMB: refresh.peakMB - bare.peakMB };
    console.log(`   the same with --no-report: ${bare.seconds.toFixed(2)} s  ${bare.peakMB} MB peak, so the report adds ${added.seconds.toFixed(2)} s and ${added.peakMB} MB`);
    console.log(`   lmi report alone (rebuilds it for the latest snapshot): ${alone.seconds.toFixed(2)} s  ${alone.peakMB} MB peak`);
    report = { seconds: alone.seconds, peakMB: alone.peakMB, added };
    bodies = server.bodiesSent();
    noop = await repeat(RUNS, () => lmi());
    const downloaded = server.bodiesSent() - bodies;
    console.log(`\n3. no-op refresh (every source answers 304): ${noop.seconds.toFixed(2)} s  ${noop.peakMB} MB peak, ${downloaded} bodies downloaded`);
    console.log(`   ${noop.runs[0]!.stdout.trim()}`);
    if (downloaded !== 0) throw new Error(`the no-op refresh downloaded ${downloaded} bodies`);

    // 4. The full national history (every release the mirror has: May 2014-2019, 2021-2024) from a
    // warm raw cache, into a fresh output folder whose cache is a copy of a warm one, so every
    // workbook is read and every table built.
    const historyOut = path.join(DIR, 'history-output');
    const historyRun = (output: string) =>
      measure([path.join('bin', 'lmi.js'), 'run', '--output', output, '--mirror', server.url, '--contact', 'bench@example.org', '--history', '2014..2019,2021..latest', '--no-report']);
    await rm(historyOut, { recursive: true, force: true });
    await historyRun(historyOut); // warms the raw cache
    history = await repeat(RUNS, async () => {
      const fresh = path.join(DIR, 'history-fresh');
      await rm(fresh, { recursive: true, force: true });
      await mkdir(fresh, { recursive: true });
      await cp(path.join(historyOut, 'cache'), path.join(fresh, 'cache'), { recursive: true });
      return historyRun(fresh);
    });
    console.log(`\n4. national history, 10 releases (May 2014-2019, 2021-2024), warm raw cache: ${history.seconds.toFixed(2)} s  ${history.peakMB} MB peak`);
    console.log(`   ${history.runs[0]!.stdout.trim().slice(0, 160)}…`);
  } finally {
    await server.close();
  }

  const figures = {
    machine: { cores: os.cpus().length, cpu, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    runs: RUNS,
    workbook: { rows: wb.rows, columns: wb.columns, pipeline: results.pipeline, exceljs: results.exceljs, ratio },
    warmRefresh: { seconds: refresh.seconds, peakMB: refresh.peakMB },
    noopRefresh: { seconds: noop.seconds, peakMB: noop.peakMB, bodiesDownloaded: 0 },
    report: { seconds: report.seconds, peakMB: report.peakMB, added: report.added },
    history: { seconds: history.seconds, peakMB: history.peakMB, releases: 10 },
  };
  await writeFile(path.join(DIR, 'results.json'), JSON.stringify(figures, (k, v) => (k === 'runs' && Array.isArray(v) ? undefined : v), 2) + '\n');
  const checks: [string, boolean][] = [
    [`workbook ≤ ${TARGETS.workbookSeconds} s`, results.pipeline!.seconds <= TARGETS.workbookSeconds],
    [`workbook ≤ ${TARGETS.workbookMB} MB`, results.pipeline!.peakMB <= TARGETS.workbookMB],
    [`≥ ${TARGETS.ratio}× exceljs`, ratio >= TARGETS.ratio],
    [`warm refresh ≤ ${TARGETS.refreshSeconds} s`, refresh.seconds <= TARGETS.refreshSeconds],
    [`no-op refresh ≤ ${TARGETS.noopSeconds} s`, noop.seconds <= TARGETS.noopSeconds],
    [`report adds ≤ ${TARGETS.reportSeconds} s`, report.added.seconds <= TARGETS.reportSeconds],
    [`report adds ≤ ${TARGETS.reportMB} MB`, report.added.peakMB <= TARGETS.reportMB],
    [`history ≤ ${TARGETS.historySeconds} s`, history.seconds <= TARGETS.historySeconds],
  ];
  console.log(`\ntargets: ${checks.map(([name, ok]) => `${ok ? 'met' : 'MISSED'}: ${name}`).join('; ')}`);
  console.log(`figures written to ${path.relative(PROJECT_ROOT, path.join(DIR, 'results.json'))}`);
}

await main();
