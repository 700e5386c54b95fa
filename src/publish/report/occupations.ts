// The occupation pages of the report, written on a worker thread of their own (report-worker.js)
// while the main thread builds the area and program pages: a page per occupation and the index.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SnapshotReader } from '../snapshot-reader.js';
import type { ReportData } from './data.js';
import { alternateTitles, loadOccupationFacts, occupationRows } from './occupation-data.js';
import { occupationFile, occupationPage, occupationsIndexPage, type OccupationListing } from './occupation-pages.js';

/** Page files written at once (a batch) while the next pages are built. */
const PAGE_WRITES = 8;

/** Write a page per occupation and the occupations index into `dir`; the number of pages. */
export async function writeOccupationPages(snapshotDir: string, dir: string, data: ReportData): Promise<number> {
  const db = await SnapshotReader.open(snapshotDir);
  try {
    const facts = await loadOccupationFacts(db);
    const alternates = await alternateTitles(db);
    const list: OccupationListing[] = [];
    // Pages are written while the next are built, a batch at a time. Each write is marked
    // handled at once (a failure still surfaces through Promise.all), so an early failure is no
    // unhandled rejection.
    let batch: Promise<void>[] = [];
    const areaNames = new Map(data.areas.map((a) => [a.area_code, a.area_name]));
    for await (const [code, lead, rows] of occupationRows(db)) {
      const write = writeFile(path.join(dir, occupationFile(code)), occupationPage(data, facts, areaNames, code, lead, rows));
      write.catch(() => undefined);
      batch.push(write);
      if (batch.length >= PAGE_WRITES) {
        await Promise.all(batch);
        batch = [];
      }
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
