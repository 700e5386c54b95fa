// Runs a part of the report on a worker thread (src/publish/report/index.ts, runInWorker):
// demand.xlsx, or the occupation pages, while the main thread builds the area pages. Plain
// JavaScript, so the thread starts without a TypeScript loader; run from the TypeScript
// sources, it registers tsx first (workers do not inherit the main thread's loader).
import { parentPort, workerData } from 'node:worker_threads';

const { task, typescript, ...work } = workerData;
if (typescript) (await import('tsx/esm/api')).register();
if (task === 'workbook') {
  const { writeDemandWorkbook } = await (typescript ? import('./workbook.ts') : import('./workbook.js'));
  await writeDemandWorkbook(work.snapshotDir, work.file, work.manifest);
  parentPort.postMessage(true);
} else if (task === 'occupations') {
  const { writeOccupationPages } = await (typescript ? import('./occupations.ts') : import('./occupations.js'));
  parentPort.postMessage(await writeOccupationPages(work.snapshotDir, work.dir, work.data));
} else throw new Error(`report-worker: no task "${task}"`);
