// Where a snapshot's report is built and how it replaces the one before: built in a temp folder
// beside it, then swapped in by two renames, so the published snapshot never lacks a whole
// report/ for longer than a rename, and what a killed build left is found and repaired by the
// next run or `lmi report` (both hold the run lock while they do it).
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const REPORT_DIR = 'report';

/** The folder a build of this process writes into. */
export const reportBuildDir = (snapshotDir: string) => path.join(snapshotDir, `.${REPORT_DIR}-${process.pid}`);
/** Where the report being replaced waits while the new one is renamed into place. */
const replacedDir = (snapshotDir: string) => path.join(snapshotDir, `.${REPORT_DIR}-old-${process.pid}`);

/** Put the whole report built in `built` in place of the snapshot's report/, if any. */
export async function swapInReport(snapshotDir: string, built: string): Promise<string> {
  const finalDir = path.join(snapshotDir, REPORT_DIR);
  const old = replacedDir(snapshotDir);
  await rename(finalDir, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(built, finalDir);
  await rm(old, { recursive: true, force: true });
  return finalDir;
}

/**
 * Repair what a killed build left in a snapshot folder (call only while holding the run lock,
 * so no build is running): a replaced report whose successor never arrived goes back in place;
 * half-built and replaced folders are removed. Returns the paths it removed or restored.
 */
export async function repairReportLeftovers(snapshotDir: string): Promise<string[]> {
  const names = await readdir(snapshotDir).catch(() => [] as string[]);
  const touched: string[] = [];
  const finalDir = path.join(snapshotDir, REPORT_DIR);
  for (const name of names.filter((n) => /^\.report-old-\d+$/.test(n))) {
    const dir = path.join(snapshotDir, name);
    if (!names.includes(REPORT_DIR) && !touched.includes(finalDir)) {
      await rename(dir, finalDir);
      touched.push(finalDir);
    } else {
      await rm(dir, { recursive: true, force: true });
      touched.push(dir);
    }
  }
  for (const name of names.filter((n) => /^\.report-\d+$/.test(n))) {
    await rm(path.join(snapshotDir, name), { recursive: true, force: true });
    touched.push(path.join(snapshotDir, name));
  }
  return touched;
}
