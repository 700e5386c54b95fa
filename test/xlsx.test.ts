// The streaming xlsx reader on the real workbooks and on the XML forms Excel and others write.
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnIndex, columnLetters, decodeXmlText, withWorkbook } from '../src/extract/xlsx.js';
import { XlsxError } from '../src/errors.js';
import { DATA, DEBIAN_PYTHON, oewsWorkbook, tempDir } from './helpers.js';
import { writeXlsx } from '../testkit/xlsx-writer.js';
import { execFileSync } from 'node:child_process';

describe('xlsx reader', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (tmp = await tempDir()));
  afterAll(async () => tmp.cleanup());

  it('reads every row of the May 2024 national workbook with exact number text', async () => {
    const rows = await withWorkbook(oewsWorkbook(2024), async (wb) => {
      expect(wb.sheets.map((s) => s.name)).toEqual(['national_M2024_dl', 'Field Descriptions', 'UpdateTime', 'Filler']);
      const out = [];
      for await (const r of wb.rows()) out.push(r);
      return out;
    });
    expect(rows).toHaveLength(1404); // header + 1,403 rows
    expect(rows[0]!.cells).toHaveLength(32);
    expect(rows[1]!.cells.slice(8, 12)).toEqual(['00-0000', 'All Occupations', 'total', '154187380']);
  });

  it('reads a named sheet whose header is not on row 1', async () => {
    await withWorkbook(path.join(DATA, 'lmi', 'ep', '2024-34', 'occupation.xlsx'), async (wb) => {
      const it = wb.rows(wb.sheet('table 1.2'));
      const first = (await it.next()).value!;
      expect(first.cells[0]).toMatch(/^Table 1\.2 Occupational projections, 2024–2034/);
    });
  });

  it('handles inline strings, booleans, sparse rows, entities and missing cell references', async () => {
    const sheet = `<?xml version="1.0"?><worksheet><sheetData>
      <row r="1"><c r="A1" t="inlineStr"><is><t>A &amp; B</t></is></c><c r="C1" t="b"><v>1</v></c></row>
      <row r="3"><c t="s"><v>0</v></c><c><v>1.5E-3</v></c><c r="E3" t="str"><v>x_x000D_y</v></c></row>
      <row r="4"/>
    </sheetData></worksheet>`;
    const file = path.join(tmp.dir, 'mini.xlsx');
    await writeFile(
      file,
      zipSync({
        '_rels/.rels': strToU8(
          '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S &amp; T" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        'xl/_rels/workbook.xml.rels': strToU8(
          '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ),
        'xl/sharedStrings.xml': strToU8('<sst><si><r><t>rich </t></r><r><t xml:space="preserve">text</t></r></si></sst>'),
        'xl/worksheets/sheet1.xml': strToU8(sheet),
      }),
    );
    const rows = await withWorkbook(file, async (wb) => {
      expect(wb.sheets[0]!.name).toBe('S & T');
      const out = [];
      for await (const r of wb.rows()) out.push(r);
      return out;
    });
    expect(rows).toEqual([
      { row: 1, cells: ['A & B', null, 'TRUE'] },
      { row: 3, cells: ['rich text', '1.5E-3', null, null, 'x\ry'] },
    ]);
  });

  it('says which file is not a workbook', async () => {
    const file = path.join(tmp.dir, 'not.xlsx');
    await writeFile(file, '<!DOCTYPE html><html></html>');
    await expect(withWorkbook(file, async () => 0)).rejects.toThrow(XlsxError);
    await expect(withWorkbook(file, async () => 0)).rejects.toThrow(/not\.xlsx: is not an xlsx workbook/);
  });

  const sheetPackage = (sheetXml: string, withPackageRels = true) =>
    zipSync({
      ...(withPackageRels
        ? {
            '_rels/.rels': strToU8(
              '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            ),
          }
        : {}),
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
      'xl/worksheets/sheet1.xml': strToU8(sheetXml),
    });
  const readAll = (file: string) =>
    withWorkbook(file, async (wb) => {
      const out = [];
      for await (const r of wb.rows()) out.push(r);
      return out;
    });

  it('refuses a package without _rels/.rels, as Excel and openpyxl do', async () => {
    const file = path.join(tmp.dir, 'norels.xlsx');
    await writeFile(file, sheetPackage('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>', false));
    await expect(readAll(file)).rejects.toThrow(/norels\.xlsx: is not an xlsx workbook \(its _rels\/\.rels names no workbook part\)/);
  });

  it('refuses a sheet cut off before </sheetData>, or short of its <dimension>', async () => {
    const cut = path.join(tmp.dir, 'cut.xlsx');
    await writeFile(cut, sheetPackage('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'));
    await expect(readAll(cut)).rejects.toThrow(/cut\.xlsx: sheet "S" ends after row 2 without <\/sheetData>: the sheet is cut off/);
    const short = path.join(tmp.dir, 'short.xlsx');
    await writeFile(short, sheetPackage('<worksheet><dimension ref="A1:B9"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'));
    await expect(readAll(short)).rejects.toThrow(/declares rows up to 9 \(<dimension>\) but ends at row 1/);
    const empty = path.join(tmp.dir, 'empty.xlsx');
    await writeFile(empty, sheetPackage('<worksheet><dimension ref="A1"/><sheetData/></worksheet>'));
    expect(await readAll(empty)).toEqual([]);
  });

  it('writes test and bench workbooks that a strict independent reader (openpyxl) opens', async () => {
    const file = path.join(tmp.dir, 'written.xlsx');
    await writeXlsx(
      file,
      [
        {
          name: 'state_M2024_dl',
          rows: [
            ['AREA', 'OCC_CODE', 'TOT_EMP'],
            ['06', '29-1141', 331_310],
            ['06', '27-2011', '**'],
          ],
        },
      ],
      { sharedStrings: true },
    );
    const script = 'import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1], read_only=True)\nprint([[c for c in r] for r in wb.worksheets[0].iter_rows(values_only=True)])';
    const out = execFileSync(DEBIAN_PYTHON, ['-c', script, file]).toString().trim();
    expect(out).toBe("[['AREA', 'OCC_CODE', 'TOT_EMP'], ['06', '29-1141', 331310], ['06', '27-2011', '**']]");
    expect(await readAll(file)).toHaveLength(3);
  });

  it('converts column letters both ways', () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA10'), columnIndex('AF2')]).toEqual([0, 25, 26, 31]);
    expect([0, 25, 26, 31, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AF', 'ZZ', 'AAA']);
    expect(decodeXmlText('&lt;&#65;&#x42;&quot;&apos;&gt;')).toBe('<AB"\'>');
  });
});
