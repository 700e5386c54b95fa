// The report of a snapshot: a static site (report/index.html, report/areas/<code>.html,
// report/programs/<code>.html, report/occupations/<soc code>.html) that works from file://, any static host or an S3 website,
// with no request leaving it; plus report/demand.xlsx and report/csv/<table>.csv. Built from
// the snapshot's own files (and the previous snapshot's cluster demand, for what changed), so
// `lmi report` can rebuild it for any snapshot, byte for byte.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffChanges, diffClusterDemandFiles, type DiffChange } from '../diff.js';
import { writeCsvTables } from './csv.js';
import { areaDetails, loadReportData, type ReportData } from './data.js';
import { areaPage, indexPage, programsPage } from './pages.js';
import { pageFile } from './page-parts.js';
import { reportBuildDir, swapInReport } from './folders.js';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { ManifestSchema, type Manifest } from '../manifest.js';
import { PublishError } from '../../errors.js';

export { REPORT_DIR } from './folders.js';

/** What a report worker does (report-worker.js): write demand.xlsx, or the occupation pages. */
type WorkerTask = { task: 'workbook'; snapshotDir: string; file: string; manifest: Manifest } | { task: 'occupations'; snapshotDir: string; dir: string; data: ReportData };

/**
 * A part of the report built on a worker thread while the main thread builds the area pages:
 * demand.xlsx from the start, the occupation pages once the report's data is read. From
 * TypeScript sources (tsx, vitest) the worker loads them through tsx too. Resolves with what the
 * task returns.
 */
function runInWorker(work: WorkerTask): Promise<unknown> {
  const typescript = fileURLToPath(import.meta.url).endsWith('.ts');
  const worker = new Worker(new URL('./report-worker.js', import.meta.url), { workerData: { ...work, typescript } });
  return new Promise((resolve, reject) => {
    let result: { value: unknown } | undefined;
    worker.once('message', (value: unknown) => (result = { value }));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result && code === 0 ? resolve(result.value) : reject(new PublishError(`the report's ${work.task} worker stopped (exit code ${code}) before finishing`)),
    );
  });
}

/** Build `snapshotDir/report` (into a temp folder, renamed into place when whole). */
export async function buildReport(snapshotDir: string, opts: { previousDir?: string } = {}): Promise<{ dir: string; pages: number }> {
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(path.join(snapshotDir, 'manifest.json'), 'utf8')));
  const dir = reportBuildDir(snapshotDir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'areas'), { recursive: true });
  await mkdir(path.join(dir, 'programs'), { recursive: true });
  await mkdir(path.join(dir, 'csv'), { recursive: true });
  await mkdir(path.join(dir, 'occupations'), { recursive: true });
  // The workbook (worker thread) and the CSV files (DuckDB's own thread) are written while the
  // pages are built; settled whatever happens, so the folder is removed only once they stop.
  const settled = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (err: unknown) => err as Error,
    );
  const background = [runInWorker({ task: 'workbook', snapshotDir, file: path.join(dir, 'demand.xlsx'), manifest }), writeCsvTables(snapshotDir, path.join(dir, 'csv'))].map(
    settled,
  );
  let occupationPages: Promise<unknown> | undefined;
  try {
    // Read while the worker starts.
    const data = await loadReportData(snapshotDir, opts.previousDir);
    occupationPages = runInWorker({ task: 'occupations', snapshotDir, dir: path.join(dir, 'occupations'), data });
    background.push(settled(occupationPages));
    const changes = new Map<string, DiffChange[]>();
    if (data.previous)
      for (const c of diffChanges(await diffClusterDemandFiles(data.previous.file, path.join(snapshotDir, 'cluster_demand.parquet'))))
        changes.set(c.area_code, [...(changes.get(c.area_code) ?? []), c]);
    await writeFile(path.join(dir, 'index.html'), indexPage(data));
    const areas = new Map(data.areas.map((a) => [a.area_code, a]));
    const done = new Set<string>();
    const write = async (area: (typeof data.areas)[number], detail?: Parameters<typeof areaPage>[2]) => {
      await writeFile(path.join(dir, 'areas', pageFile(area.area_code)), await areaPage(data, area, detail, changes.get(area.area_code)));
      await writeFile(path.join(dir, 'programs', pageFile(area.area_code)), programsPage(data, area, detail));
      done.add(area.area_code);
    };
    for await (const [code, detail] of areaDetails(snapshotDir, data.leadsTo)) if (areas.has(code)) await write(areas.get(code)!, detail);
    // An area with no occupation rows still gets its pages (saying so).
    for (const area of data.areas) if (!done.has(area.area_code)) await write(area);
    for (const err of await Promise.all(background)) if (err) throw err;
    return { dir: await swapInReport(snapshotDir, dir), pages: 1 + 2 * data.areas.length + ((await occupationPages) as number) };
  } catch (err) {
    await Promise.all(background);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}
