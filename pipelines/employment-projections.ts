// BLS Employment Projections (EP), national occupational projections: Table 1.2 of
// occupation.xlsx. One URL, replaced each late summer; the period is read from the headers.
import { acquire, type Acquired, type LoadedSource, type RunContext } from '../src/context.js';
import { HeaderDriftError } from '../src/errors.js';
import { normalizeHeader, readSheetTable, type ColumnSpec } from '../src/extract/columns.js';
import type { SheetRow } from '../src/extract/xlsx.js';
import { type Dataset, headlineOf } from './dataset.js';

export const source = 'ep';

/** When to check: BLS publishes new projections in late summer. */
export const schedule = { cron: '0 6 * 8-9 *', why: 'daily at 06:00, August–September: BLS releases projections in late summer' };

export function epOccupationUrl(): string {
  return 'https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx';
}

/** '—' not available; '>=$239,200' top-coded median wage. */
export const EP_MARKERS = /^(—|-|>=\s*\$[\d,]+)$/;
const FILE_NAME = 'occupation.xlsx';

export interface ProjectionPeriod {
  baseYear: number;
  projYear: number;
  /** As BLS writes it, e.g. 2024–2034 (en dash). */
  label: string;
}

/** The period from a header such as "Employment change, numeric, 2024–34" (en dash, hyphen or "to"). */
export function projectionPeriod(header: SheetRow, sheet = 'Table 1.2'): ProjectionPeriod {
  for (const cell of header.cells) {
    const m = /^Employment change, numeric, (\d{4})\s*(?:–|-|—|to)\s*(\d{2,4})$/i.exec(normalizeHeader(cell));
    if (m) {
      const baseYear = Number(m[1]);
      const projYear = m[2]!.length === 2 ? Math.floor(baseYear / 100) * 100 + Number(m[2]) : Number(m[2]);
      return { baseYear, projYear, label: `${baseYear}–${projYear}` };
    }
  }
  throw new HeaderDriftError(FILE_NAME, sheet, 'Employment change, numeric, YYYY–YY', `is missing from the header in row ${header.row}, so the projection period cannot be read`);
}

export function epColumns(header: SheetRow): ColumnSpec[] {
  const { baseYear, projYear } = projectionPeriod(header);
  const spec = (key: string, header: RegExp, label: string, kind: ColumnSpec['kind'], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, header, label, kind, ...extra });
  return [
    spec('title', /Matrix title$/i, 'National Employment Matrix title', 'text'),
    spec('code', /Matrix code$/i, 'National Employment Matrix code', 'soc'),
    spec('occupation_type', /^Occupation type$/i, 'Occupation type', 'text'),
    spec('employment_base', new RegExp(`^Employment, ${baseYear}$`, 'i'), `Employment, ${baseYear}`, 'number', { markers: EP_MARKERS }),
    spec('employment_proj', new RegExp(`^Employment, ${projYear}$`, 'i'), `Employment, ${projYear}`, 'number', { markers: EP_MARKERS }),
    spec('change_numeric', /^Employment change, numeric/i, 'Employment change, numeric', 'number', { markers: EP_MARKERS }),
    spec('change_percent', /^Employment change, percent/i, 'Employment change, percent', 'number', { markers: EP_MARKERS }),
    spec('openings', /^Occupational openings, .*annual average$/i, 'Occupational openings, annual average', 'number', { markers: EP_MARKERS }),
    spec('median_wage', /^Median annual wage/i, 'Median annual wage, dollars', 'number', { markers: EP_MARKERS }),
    spec('education', /^Typical education needed for entry$/i, 'Typical education needed for entry', 'text'),
    spec('work_experience', /^Work experience in a related occupation$/i, 'Work experience in a related occupation', 'text'),
    spec('on_the_job_training', /^Typical on-the-job training/i, 'Typical on-the-job training needed', 'text'),
  ];
}

/** Fetch occupation.xlsx into the raw cache. Its release is only known once its headers are read. */
export async function acquireEmploymentProjections(ctx: RunContext): Promise<Acquired> {
  return acquire(ctx, source, epOccupationUrl(), 'xlsx', 'current');
}

/**
 * A table of occupation.xlsx (Table 1.2, Table 1.10 …) into a raw table of text: its header is
 * the row with the Matrix code column, its projection period is read from that header, and the
 * footnotes and source line at the bottom (no code) are left out.
 */
export async function loadMatrixTable(
  ctx: RunContext,
  file: string,
  sheetName: string,
  table: string,
  specs: (header: SheetRow) => ColumnSpec[],
): Promise<{ rows: number; period: ProjectionPeriod }> {
  let period: ProjectionPeriod | undefined;
  const { result: rows } = await readSheetTable(
    {
      file,
      displayName: FILE_NAME,
      sheet: sheetName,
      isHeader: (row) => row.cells.some((c) => /Matrix code$/i.test(normalizeHeader(c))),
      specs: (header) => {
        period = projectionPeriod(header, sheetName);
        return specs(header);
      },
      keepRow: (_cells, get) => /^\d{2}-\d{4}$/.test((get('code') ?? '').trim()),
    },
    (rows, columns) => ctx.warehouse.loadTextRows(table, columns, rows, ctx.workDir),
  );
  return { rows, period: period! };
}

/** Load Table 1.2. Employment is in thousands in the workbook; raw text is kept and converted to persons in SQL. */
export async function loadEmploymentProjections(ctx: RunContext, { fetched, provenance }: Acquired): Promise<LoadedSource> {
  const { rows, period: p } = await loadMatrixTable(ctx, fetched.file, 'Table 1.2', 'raw_ep', epColumns);
  return {
    provenance: { ...provenance, release: p.label },
    tables: { raw_ep: rows },
    facts: { ep_period: p.label, ep_base_year: p.baseYear, ep_proj_year: p.projYear },
    variables: { ep_period: { type: 'VARCHAR', value: p.label }, ep_base_year: { type: 'INTEGER', value: p.baseYear }, ep_proj_year: { type: 'INTEGER', value: p.projYear } },
  };
}

/** BLS Employment Projections, Table 1.2: the nation's projected employment, openings and education. */
export const epDataset: Dataset<Acquired> = {
  name: 'ep',
  kind: 'fetched',
  headline: headlineOf('ep'),
  schedule,
  urls: () => [{ source: 'ep', release: 'current', url: epOccupationUrl() }],
  acquire: (ctx) => acquireEmploymentProjections(ctx),
  provenance: (a) => [a.provenance],
  load: async (ctx, a) => [await loadEmploymentProjections(ctx, a)],
  attribution: 'Employment and wage estimates and projections: U.S. Bureau of Labor Statistics (public domain).',
};
