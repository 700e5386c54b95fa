// Runs writeDemandWorkbook on a worker thread, so the workbook is written on the second core
// while the main thread builds the pages. Plain JavaScript, so the thread starts without a
// TypeScript loader; run from the TypeScript sources, it registers tsx first (workers do not
// inherit the main thread's loader).
import { parentPort, workerData } from 'node:worker_threads';

const { snapshotDir, file, manifest, typescript } = workerData;
if (typescript) (await import('tsx/esm/api')).register();
const { writeDemandWorkbook } = await import(typescript ? './workbook.ts' : './workbook.js');
await writeDemandWorkbook(snapshotDir, file, manifest);
parentPort.postMessage('done');
