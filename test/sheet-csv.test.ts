// The byte reader (sheetCsv) that bulk loads use must read exactly what the string reader reads:
// the same rows, the same checked values, the same errors. Compared line for line on the real
// workbooks in ../shared and on the XML forms other writers use.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OEWS_COLUMNS } from '../pipelines/oews.js';
import { DataError, XlsxError } from '../src/errors.js';
import { type ColumnSpec, normalizeHeader, readSheetTable, type SheetTableOptions } from '../src/extract/columns.js';
import { csvField } from '../src/extract/sheet-csv.js';
import { type SheetRow, withWorkbook } from '../src/extract/xlsx.js';
import { DATA, oewsWorkbook, tempDir } from './helpers.js';

/** The sheet's data rows both ways: CSV lines from the string reader's rows, and from the byte reader. */
async function bothWays(file: string, specs: readonly ColumnSpec[], isHeader?: SheetTableOptions['isHeader']): Promise<{ fromRows: string; fromBytes: string; lines: number }> {
  const read = (how: 'rows' | 'bytes') =>
    readSheetTable({ file, displayName: path.basename(file), specs, isHeader }, async (rows) => {
      if (how === 'bytes') {
        expect(rows.csv).toBeDefined();
        const chunks: Buffer[] = [];
        let lines = 0;
        for await (const chunk of rows.csv!()) {
          chunks.push(Buffer.from(chunk.bytes));
          lines += chunk.lines;
        }
        return { text: Buffer.concat(chunks).toString('utf8'), lines };
      }
      let text = '';
      let lines = 0;
      for await (const batch of rows.batches()) {
        for (const row of batch) text += `${row.map((v) => (v === null ? '' : csvField(v))).join(',')}\n`;
        lines += batch.length;
      }
      return { text, lines };
    });
  const [a, b] = [await read('rows'), await read('bytes')];
  expect(b.result.lines).toBe(a.result.lines);
  return { fromRows: a.result.text, fromBytes: b.result.text, lines: a.result.lines };
}

/** A text column for every header cell whose text is unique: every value of the sheet is read. */
async function everyColumn(file: string): Promise<ColumnSpec[]> {
  const header = await withWorkbook(file, async (wb): Promise<SheetRow> => {
    for await (const row of wb.rows()) return row;
    throw new Error(`${file} has no rows`);
  });
  const texts: string[] = header.cells.map(normalizeHeader).filter(Boolean);
  const unique = texts.filter((t) => texts.indexOf(t) === texts.lastIndexOf(t));
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return unique.map((t, i): ColumnSpec => ({ key: `c${i}`, header: new RegExp(`^${escapeRegExp(t)}$`, 'i'), label: t, kind: 'text' }));
}

describe('sheet → CSV from the bytes', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (tmp = await tempDir()));
  afterAll(async () => tmp.cleanup());

  it('reads the May 2024 national workbook as the string reader does, number and marker checks included', async () => {
    const { fromRows, fromBytes, lines } = await bothWays(oewsWorkbook(2024), OEWS_COLUMNS);
    expect(lines).toBe(1403);
    expect(fromBytes).toBe(fromRows);
    // 00-0000 in row 2: TOT_EMP as the workbook writes it, and the source row last.
    expect(fromBytes.split('\n')[0]).toMatch(/^99,U\.S\.,1,US,000000,cross-industry,1235,00-0000,All Occupations,total,154187380,.*,2$/);
  });

  it('reads every national release 2014–2023 and the sector workbook, every column, as the string reader does', async () => {
    const files = [2014, 2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023].map(oewsWorkbook);
    files.push(path.join(DATA, 'lmi', 'oews', 'natsector', 'natsector_M2024_dl.xlsx'));
    for (const file of files) {
      const { fromRows, fromBytes, lines } = await bothWays(file, await everyColumn(file));
      expect(lines, file).toBeGreaterThan(1000);
      expect(fromBytes === fromRows, file).toBe(true);
    }
  });

  it('reads the Advance CTE crosswalk and O*NET workbooks (rich text, other writers) as the string reader does', async () => {
    const files = [
      [path.join(DATA, 'clusters', 'advance_cte_2024', 'SOC_Career_Clusters_Crosswalk.xlsx')],
      [path.join(DATA, 'clusters', 'advance_cte_2024', 'CIP_Career_Clusters_Crosswalk.xlsx')],
      [path.join(DATA, 'clusters', 'soc_2018', 'soc_structure_2018.xlsx')],
      [path.join(DATA, 'lmi', 'onet', 'db_29_3_excel', 'Occupation Data.xlsx')],
      [path.join(DATA, 'lmi', 'soc', 'soc_2010_to_2018_crosswalk.xlsx')],
    ];
    for (const [file] of files) {
      const specs = await everyColumn(file!);
      const { fromRows, fromBytes } = await bothWays(file!, specs);
      expect(fromBytes === fromRows, file).toBe(true);
    }
  });

  const sheetPackage = (sheetXml: string, sharedStrings: string) =>
    zipSync({
      '_rels/.rels': strToU8(
        '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
      ),
      'xl/sharedStrings.xml': strToU8(`<sst>${sharedStrings}</sst>`),
      'xl/worksheets/sheet1.xml': strToU8(sheetXml),
    });
  const SPECS: ColumnSpec[] = [
    { key: 'code', header: /^code$/i, label: 'CODE', kind: 'soc' },
    { key: 'title', header: /^title$/i, label: 'TITLE', kind: 'text' },
    { key: 'emp', header: /^emp$/i, label: 'EMP', kind: 'number', markers: /^(\*|\*\*|#|~)$/ },
  ];
  const SHARED =
    '<si><t>title</t></si><si><t>code</t></si><si><t>emp</t></si><si><t>11-1011</t></si><si><r><t>Chief, </t></r><r><t xml:space="preserve">"Executives"</t></r></si><si><t>**</t></si><si><t xml:space="preserve">  </t></si><si><t>x&#10;y</t></si>';

  it('reads the forms other writers use: header below a title, columns in another order, inline strings, formulas, booleans, entities, no r=, empty and blank cells', async () => {
    const sheet = `<?xml version="1.0"?><worksheet><dimension ref="A1:D9"/><sheetData>
      <row r="1"><c r="A1" t="inlineStr"><is><t>Table 1, a title row</t></is></c></row>
      <row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="D2" t="s"><v>2</v></c></row>
      <row r="3" spans="1:4"><c r="A3" t="s" s="1"><v>4</v></c><c r="B3" t="s"><v>3</v></c><c r="D3"><v>1.5E-3</v></c></row>
      <row r="4"><c t="s"><v>7</v></c><c t="inlineStr"><is><t>11-2011</t></is></c><c/><c t="str"><f>1+1</f><v>2</v></c></row>
      <row r="5"><c r="A5" t="str"><v>a &amp; b _x0009_</v></c><c r="B5" t="s"><v>3</v></c><c r="D5" t="s"><v>5</v></c></row>
      <row r="6"><c r="A6" t="s"><v>6</v></c><c r="B6" t="s"><v>3</v></c><c r="D6"><v></v></c></row>
      <row r="7"><c r="A7" s="2"/><c r="D7" s="2"/></row>
      <row r="8"/>
      <row r="9"><c r="A9" t="b"><v>1</v></c><c r="B9" t="s"><v>3</v></c><c r="D9"><f>SUM(D3:D6)</f><v>-12.5</v></c></row>
    </sheetData></worksheet>`;
    const file = path.join(tmp.dir, 'forms.xlsx');
    await writeFile(file, sheetPackage(sheet, SHARED));
    const { fromRows, fromBytes } = await bothWays(file, SPECS, (row) => row.cells.includes('code'));
    expect(fromBytes).toBe(fromRows);
    expect(fromBytes).toBe(['11-1011,"Chief, ""Executives""",1.5E-3,3', '11-2011,"x\ny",2,4', '11-1011,a & b,**,5', '11-1011,,,6', '11-1011,TRUE,-12.5,9', ''].join('\n'));
  });

  it('fails on a bad value, a missing shared string and a cut-off sheet with the string reader’s errors', async () => {
    const head = '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row>';
    const cases: [string, string, RegExp][] = [
      ['number', `${head}<row r="2"><c r="A2" t="s"><v>3</v></c><c r="C2"><v>1.2.3</v></c></row></sheetData></worksheet>`, /row 2, column EMP \(C\): "1\.2\.3" is not a number/],
      ['soc', `${head}<row r="2"><c r="A2"><v>111011</v></c></row></sheetData></worksheet>`, /row 2, column CODE \(A\): "111011" is not a code like 11-1011/],
      ['shared', `${head}<row r="2"><c r="A2" t="s"><v>99</v></c></row></sheetData></worksheet>`, /cell A2: shared string 99 does not exist/],
      ['cut', `${head}<row r="2"><c r="A2" t="s"><v>3</v></c></row><row r="3"><c r="A3" t="s"><v>3`, /ends after row 2 without <\/sheetData>: the sheet is cut off/],
    ];
    for (const [name, sheet, message] of cases) {
      const file = path.join(tmp.dir, `${name}.xlsx`);
      await writeFile(file, sheetPackage(sheet, SHARED));
      for (const how of ['rows', 'bytes'] as const) {
        const read = readSheetTable({ file, displayName: `${name}.xlsx`, specs: SPECS }, async (rows) => {
          if (how === 'bytes') for await (const _ of rows.csv!());
          else for await (const _ of rows.batches());
        });
        await expect(read, `${name} ${how}`).rejects.toThrow(message);
        await expect(read, `${name} ${how}`).rejects.toBeInstanceOf(name === 'number' || name === 'soc' ? DataError : XlsxError);
      }
    }
  });
});
