// What the benchmarks share: the inputs of the national + every-state refresh (built once under
// output/bench/ from the real files in ../shared), its command line, and whole-process measures.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { PROJECT_ROOT } from '../src/paths.js';
import { writeXlsx } from '../testkit/xlsx-writer.js';
import { nationalRows, readAreas, rowsForAreas } from './workbook.js';

const exec = promisify(execFile);
export const SHARED = process.env.LMI_SHARED ?? path.resolve(PROJECT_ROOT, '..', 'shared');
export const DIR = path.join(PROJECT_ROOT, 'output', 'bench');

export interface Measure {
  seconds: number;
  peakMB: number;
  stdout: string;
  stderr: string;
}

/**
 * Run a node process (with the RSS reporter preloaded); wall time from here, peak RSS from it.
 * `command` other than node (npx): the reporter reaches the node process it starts through
 * NODE_OPTIONS.
 */
export async function measure(args: string[], env: Record<string, string> = {}, command = process.execPath): Promise<Measure> {
  const rssFile = path.join(os.tmpdir(), `lmi-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const reporter = path.join(PROJECT_ROOT, 'bench', 'report-rss.mjs');
  const node = command === process.execPath;
  const started = process.hrtime.bigint();
  const { stdout, stderr } = await exec(command, node ? ['--import', reporter, ...args] : args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LMI_LOG_LEVEL: 'warn', ...env, LMI_BENCH_RSS_FILE: rssFile, ...(node ? {} : { NODE_OPTIONS: `--import=${reporter}` }) },
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMB = Number(await readFile(rssFile, 'utf8').catch(() => '0'));
  await rm(rssFile, { force: true });
  return { seconds, peakMB, stdout, stderr };
}

/** A mirror with every source a full refresh reads: the real files, and a state workbook built from real rows. */
export async function refreshMirror(): Promise<string> {
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

/** `lmi run` arguments of the national + every-state refresh (OEWS national and state, EP, O*NET, Projections Central's CSV). */
export const stateRefreshArgs = (out: string, mirrorUrl: string, ...extra: string[]) => [
  'run',
  '--output',
  out,
  '--mirror',
  mirrorUrl,
  '--contact',
  'bench@example.org',
  '--oews-scope',
  'nat',
  '--oews-scope',
  'st',
  '--projections-central',
  'csv',
  '--projections-central-url',
  'https://public.projectionscentral.org/downloads/ltprojections.csv',
  ...extra,
];
