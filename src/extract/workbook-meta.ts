// Provenance of a vendored workbook: its hash and the dates Excel recorded in docProps/core.xml.
import path from 'node:path';
import { sha256File } from '../fsutil.js';
import { withZip } from './zip.js';

export interface WorkbookProvenance {
  workbook: string;
  sha256: string;
  created?: string;
  modified?: string;
}

export async function workbookProvenance(file: string): Promise<WorkbookProvenance> {
  const core = await withZip(file, async (zip) => (zip.entries.has('docProps/core.xml') ? zip.readText('docProps/core.xml') : ''));
  const created = /<dcterms:created[^>]*>([^<]+)</.exec(core)?.[1];
  const modified = /<dcterms:modified[^>]*>([^<]+)</.exec(core)?.[1];
  return { workbook: path.basename(file), sha256: await sha256File(file), created, modified };
}

/** What a workbook says about itself: its sheet names (in order) and the date Excel last saved it. */
export interface WorkbookSelf {
  sheets: string[];
  modified?: string;
}

export async function workbookSelf(file: string): Promise<WorkbookSelf> {
  return withZip(file, async (zip) => {
    const workbook = zip.entries.has('xl/workbook.xml') ? await zip.readText('xl/workbook.xml') : '';
    const core = zip.entries.has('docProps/core.xml') ? await zip.readText('docProps/core.xml') : '';
    const sheets = [...workbook.matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]!);
    return { sheets, modified: /<dcterms:modified[^>]*>([^<]+)</.exec(core)?.[1] };
  });
}
