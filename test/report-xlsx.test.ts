// The report's xlsx writer, read back by two independent readers (openpyxl and exceljs): text
// that looks like a formula stays text, characters XML cannot hold are dropped, numbers keep
// their column's format, booleans and empty cells survive, the header row is frozen and
// filtered. The rows are the nation's May 2024 figures (OEWS, and EP 2024-34 growth) for Chief
// Executives and Restaurant Cooks, and the hostile strings are ones a downloaded file could carry.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_TEXT_LIMIT, XlsxWriter, xmlText } from '../src/publish/report/xlsx-writer.js';
import { DEBIAN_PYTHON, tempDir } from './helpers.js';

const HOSTILE = ['=HYPERLINK("http://example.org","click")', '+1+1', '-2+3', '@SUM(A1:A2)', "=cmd|' /C calc'!A0"];

describe('the report xlsx writer', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  beforeAll(async () => {
    out = await tempDir();
    file = path.join(out.dir, 'book.xlsx');
    const wb = new XlsxWriter(file, { creator: 'career-clusters-lmi', created: new Date('2026-11-26T10:00:00Z') });
    const readme = wb.addSheet('README & notes', [
      { header: 'column', width: 20 },
      { header: 'meaning', width: 80 },
    ]);
    readme.addRow(['soc_title', 'Title as BLS publishes it']);
    const ws = wb.addSheet('Occupations', [
      { header: 'soc_code', width: 10 },
      { header: 'soc_title', width: 34 },
      { header: 'employment', width: 12, numFmt: '#,##0' },
      { header: 'annual_wage_median', width: 14, numFmt: '"$"#,##0' },
      { header: 'projected_change_pct', width: 12, numFmt: '0.0' },
      { header: 'high_wage', width: 10 },
      { header: 'employment_flag', width: 12 },
    ]);
    ws.addRow(['11-1011', 'Chief Executives', 211850, 206420, 4.3, true, null]);
    ws.addRow(['35-2014', 'Cooks, Restaurant', 1452130, 36830, 14.9, false, undefined]);
    for (const text of HOSTILE) ws.addRow(['00-0000', text, null, null, null, null, 'not_available']);
    ws.addRow(['00-0001', ' padded\u0001 title\u0007 ', 0, null, null, null, null]);
    ws.addRow(['00-0002', 'x'.repeat(CELL_TEXT_LIMIT + 100), null, null, null, null, null]);
    // Ended here and again by close(): once is what counts.
    ws.end();
    wb.close();
  });
  afterAll(() => out.cleanup());

  it('is read back by openpyxl cell for cell, formula-looking text as text', () => {
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['Occupations']
rows = [[[c.value, c.data_type, c.number_format] for c in row] for row in ws.iter_rows()]
print(json.dumps({'sheets': wb.sheetnames, 'rows': rows, 'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref,
  'widths': [ws.column_dimensions[l].width for l in 'ABCDEFG'], 'creator': wb.properties.creator, 'created': wb.properties.created.isoformat()}))`;
    const book = JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', script, file]).toString());
    expect(book.sheets).toEqual(['README & notes', 'Occupations']);
    expect(book.freeze).toBe('A2');
    expect(book.filter).toBe('A1:G1');
    expect(book.widths).toEqual([10, 34, 12, 14, 12, 10, 12]);
    expect(book.creator).toBe('career-clusters-lmi');
    expect(book.created).toBe('2026-11-26T10:00:00');
    const [header, ceo, cooks, ...rest] = book.rows as [unknown, string, string][][];
    expect(header!.map((c) => c[0])).toEqual(['soc_code', 'soc_title', 'employment', 'annual_wage_median', 'projected_change_pct', 'high_wage', 'employment_flag']);
    expect(ceo).toEqual([
      ['11-1011', 's', 'General'],
      ['Chief Executives', 's', 'General'],
      [211850, 'n', '#,##0'],
      [206420, 'n', '"$"#,##0'],
      [4.3, 'n', '0.0'],
      [true, 'b', 'General'],
      [null, 'n', 'General'],
    ]);
    expect(cooks!.map((c) => c[0])).toEqual(['35-2014', 'Cooks, Restaurant', 1452130, 36830, 14.9, false, null]);
    const hostile = rest.slice(0, HOSTILE.length);
    expect(hostile.map((r) => r[1]![0])).toEqual(HOSTILE);
    for (const r of hostile) expect(r[1]![1], String(r[1]![0])).toBe('s');
    // Control characters dropped, the spaces around kept; a zero is a number, not an empty cell.
    expect(rest[HOSTILE.length]!.slice(1, 3)).toEqual([
      [' padded title ', 's', 'General'],
      [0, 'n', '#,##0'],
    ]);
    // Text longer than a cell holds is cut to Excel's limit, which Excel would otherwise refuse.
    expect(rest[HOSTILE.length + 1]![1]![0]).toBe('x'.repeat(CELL_TEXT_LIMIT));
  });

  it('is read by exceljs too, with no formula anywhere', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Occupations')!;
    const titles: unknown[] = [];
    ws.eachRow((row) => {
      row.eachCell((cell) => expect(cell.type, `${cell.address}`).not.toBe(ExcelJS.ValueType.Formula));
      titles.push(row.getCell(2).value);
    });
    expect(titles.slice(3, 3 + HOSTILE.length)).toEqual(HOSTILE);
    expect(ws.getCell('C3').value).toBe(1452130);
  });

  it('lets go of its file when a write is abandoned part-way', () => {
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const wb = new XlsxWriter(path.join(out.dir, 'abandoned.xlsx'), { creator: 'career-clusters-lmi', created: new Date('2026-11-26T10:00:00Z') });
    wb.addSheet('Occupations', [{ header: 'soc_code', width: 10 }]).addRow(['11-1011']);
    expect(openFiles()).toBe(before + 1);
    wb.abort();
    expect(openFiles()).toBe(before);
    expect(() => wb.close()).toThrow(/already closed/);
  });

  it('escapes markup and drops what XML 1.0 cannot hold', () => {
    expect(xmlText('Tom & "Jerry" <b>\u0000\uFFFE\uD800')).toBe('Tom &amp; &quot;Jerry&quot; &lt;b&gt;');
    expect(xmlText('Café — 𝔸')).toBe('Café — 𝔸');
  });
});
