// The report of a snapshot: a static site (report/index.html, report/areas/<code>.html,
// report/programs/<code>.html, report/occupations/<soc code>.html) that works from file://, any static host or an S3 website,
// with no request leaving it; plus report/demand.xlsx and report/csv/<table>.csv. Built from
// the snapshot's own files (and the previous snapshot's cluster demand, for what changed), so
// `lmi report` can rebuild it for any snapshot, byte for byte.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffChanges, diffClusterDemandFiles, type DiffChange } from '../diff.js';
import { writeCsvTables } from './csv.js';
import { areaDetails, loadReportData } from './data.js';
import { areaFile, areaPage, indexPage, programsPage } from './pages.js';
import { reportBuildDir, swapInReport } from './folders.js';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { ManifestSchema, type Manifest } from '../manifest.js';
import { PublishError } from '../../errors.js';
import { SnapshotReader } from '../snapshot-reader.js';
import { alternateTitles, loadOccupationFacts, occupationAreaRows } from './occupation-data.js';
import { occupationFile, occupationPage, occupationsIndexPage, type OccupationListing } from './occupation-pages.js';
import type { ReportData } from './data.js';

export { REPORT_DIR } from './folders.js';

/**
 * demand.xlsx written on a worker thread (the second core) while the pages, the longer of the
 * two, are built. From TypeScript sources (tsx, vitest) the worker loads them through tsx too.
 */
function writeWorkbookInWorker(snapshotDir: string, file: string, manifest: Manifest): Promise<void> {
  const typescript = fileURLToPath(import.meta.url).endsWith('.ts');
  const worker = new Worker(new URL('./workbook-worker.js', import.meta.url), { workerData: { snapshotDir, file, manifest, typescript } });
  return new Promise((resolve, reject) => {
    let done = false;
    worker.once('message', () => (done = true));
    worker.once('error', reject);
    worker.once('exit', (code) => (done && code === 0 ? resolve() : reject(new PublishError(`the workbook writer stopped (exit code ${code}) before finishing ${file}`))));
  });
}

/** Page files written at once (a batch) while the next pages are built. */
const PAGE_WRITES = 8;

/** Write a page per occupation and the occupations index into `dir`; the number of pages. */
async function writeOccupationPages(snapshotDir: string, dir: string, data: ReportData): Promise<number> {
  const db = await SnapshotReader.open(snapshotDir);
  try {
    const facts = await loadOccupationFacts(db);
    const alternates = await alternateTitles(db);
    const list: OccupationListing[] = [];
    // Pages are written while the next are built, a batch at a time. Each write is marked
    // handled at once (a failure still surfaces through Promise.all), so an early failure is no
    // unhandled rejection.
    let batch: Promise<void>[] = [];
    for await (const [code, rows] of occupationAreaRows(db)) {
      const write = writeFile(path.join(dir, occupationFile(code)), occupationPage(data, facts, code, rows));
      write.catch(() => undefined);
      batch.push(write);
      if (batch.length >= PAGE_WRITES) {
        await Promise.all(batch);
        batch = [];
      }
      const lead = rows.find((r) => r.area_type === 'national') ?? rows[0]!;
      list.push({
        code,
        title: lead.soc_title,
        alternates: alternates.get(code) ?? [],
        clusters: [...new Set((data.clustersOf.get(code) ?? []).map((c) => c.cluster))],
        employment: lead.employment,
        employment_flag: lead.employment_flag,
        annual_openings: lead.annual_openings,
        annual_wage_median: lead.annual_wage_median,
        annual_wage_median_flag: lead.annual_wage_median_flag,
      });
    }
    await Promise.all(batch);
    list.sort((a, b) => (b.employment ?? -1) - (a.employment ?? -1) || a.code.localeCompare(b.code));
    await writeFile(path.join(dir, 'index.html'), occupationsIndexPage(data, list));
    return list.length + 1;
  } finally {
    db.close();
  }
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
  const background = [writeWorkbookInWorker(snapshotDir, path.join(dir, 'demand.xlsx'), manifest), writeCsvTables(snapshotDir, path.join(dir, 'csv'))].map((p) =>
    p.then(
      () => undefined,
      (err: unknown) => err as Error,
    ),
  );
  try {
    // Read while the worker starts.
    const data = await loadReportData(snapshotDir, opts.previousDir);
    const changes = new Map<string, DiffChange[]>();
    if (data.previous)
      for (const c of diffChanges(await diffClusterDemandFiles(data.previous.file, path.join(snapshotDir, 'cluster_demand.parquet'))))
        changes.set(c.area_code, [...(changes.get(c.area_code) ?? []), c]);
    await writeFile(path.join(dir, 'index.html'), indexPage(data));
    const areas = new Map(data.areas.map((a) => [a.area_code, a]));
    const done = new Set<string>();
    const write = async (area: (typeof data.areas)[number], detail?: Parameters<typeof areaPage>[2]) => {
      await writeFile(path.join(dir, 'areas', areaFile(area.area_code)), await areaPage(data, area, detail, changes.get(area.area_code)));
      await writeFile(path.join(dir, 'programs', areaFile(area.area_code)), programsPage(data, area, detail));
      done.add(area.area_code);
    };
    for await (const [code, detail] of areaDetails(snapshotDir, data.leadsTo)) if (areas.has(code)) await write(areas.get(code)!, detail);
    // An area with no occupation rows still gets its pages (saying so).
    for (const area of data.areas) if (!done.has(area.area_code)) await write(area);
    const occupationPages = await writeOccupationPages(snapshotDir, path.join(dir, 'occupations'), data);
    for (const err of await Promise.all(background)) if (err) throw err;
    return { dir: await swapInReport(snapshotDir, dir), pages: 1 + 2 * data.areas.length + occupationPages };
  } catch (err) {
    await Promise.all(background);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}
