// The benchmark's all-data-scale workbook: the real May 2024 national rows repeated across the
// real OEWS area codes of oe.area.txt, in the OEWS layout, until about 414,000 rows (the size
// of the all-data workbook). Built once and cached; its expected row count and TOT_EMP sum
// are computed from the rows it was made from.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withWorkbook } from '../src/extract/xlsx.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { writeXlsx } from '../testkit/xlsx-writer.js';

export const TARGET_ROWS = 414_000;

export interface BenchWorkbook {
  file: string;
  rows: number;
  columns: number;
  /** Σ TOT_EMP over the rows whose TOT_EMP is a number. */
  totEmpSum: string;
}

export interface Area {
  code: string;
  type: number;
  name: string;
  /** USPS abbreviation of the area's state (US for the nation), as PRIM_STATE holds it. */
  state: string | null;
}

/** The real OEWS areas of oe.area.txt, with OEWS area codes and AREA_TYPE (1 nation, 2 state, 3 territory, 4 metro, 6 nonmetro). */
export async function readAreas(shared: string): Promise<Area[]> {
  const text = await readFile(path.join(shared, 'data/lmi/oews/timeseries_oe/oe.area.txt'), 'utf8');
  const abbr = new Map(
    (await readFile(path.join(PROJECT_ROOT, 'crosswalks/states.csv'), 'utf8'))
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .map((f) => [f[0]!, f[1]!]),
  );
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [state, code, kind, name] = line.split('\t') as [string, string, string, string];
      const type = kind === 'N' ? 1 : kind === 'S' ? (['66', '72', '78'].includes(state) ? 3 : 2) : /nonmetropolitan/i.test(name) ? 6 : 4;
      return { code: type === 1 ? '99' : type <= 3 ? state : code.replace(/^0+/, ''), type, name: name.trim(), state: type === 1 ? 'US' : (abbr.get(state) ?? null) };
    });
}

/** The real May 2024 national workbook's header and rows. */
export async function nationalRows(shared: string): Promise<{ header: (string | null)[]; body: (string | null)[][] }> {
  const rows = await withWorkbook(path.join(shared, 'data/lmi/oews/national/national_M2024_dl.xlsx'), async (wb) => {
    const out: (string | null)[][] = [];
    for await (const r of wb.rows()) out.push(r.cells);
    return out;
  });
  return { header: rows[0]!, body: rows.slice(1) };
}

/** The header, then the national rows once per area with the area fields changed. */
export function* rowsForAreas(
  national: { header: (string | null)[]; body: (string | null)[][] },
  areas: Area[],
  onRow?: (row: (string | null)[]) => void,
): Generator<(string | null)[]> {
  const col = (name: string) => national.header.indexOf(name);
  yield national.header;
  for (const area of areas)
    for (const r of national.body) {
      const row = [...r];
      row[col('AREA')] = area.code;
      row[col('AREA_TITLE')] = area.name;
      row[col('AREA_TYPE')] = String(area.type);
      row[col('PRIM_STATE')] = area.state;
      onRow?.(row);
      yield row;
    }
}

export async function benchWorkbook(shared: string, dir: string): Promise<BenchWorkbook> {
  const file = path.join(dir, 'all_data_M_2024.xlsx');
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) return JSON.parse(await readFile(meta, 'utf8')) as BenchWorkbook;
  await mkdir(dir, { recursive: true });
  const national = await nationalRows(shared);
  const totEmp = national.header.indexOf('TOT_EMP');
  const areas = (await readAreas(shared)).slice(0, Math.ceil(TARGET_ROWS / national.body.length));
  let rows = 0;
  let sum = 0n;
  const allRows = () =>
    rowsForAreas(national, areas, (row) => {
      rows++;
      const emp = row[totEmp];
      if (emp && /^\d+$/.test(emp)) sum += BigInt(emp);
    });
  await writeXlsx(file, [{ name: 'All May 2024 data', rows: allRows() }], { sharedStrings: true });
  const result: BenchWorkbook = { file, rows, columns: national.header.length, totEmpSum: sum.toString() };
  await writeFile(meta, JSON.stringify(result, null, 2));
  return result;
}
