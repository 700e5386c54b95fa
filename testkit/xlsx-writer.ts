// A small streaming xlsx writer for tests and the benchmark: builds workbooks in the OEWS
// layout from real rows, so state and all-data scopes can be exercised without the real
// (unavailable) files. Numbers are written as numbers, text as inline strings or shared
// strings. The package is valid OOXML as Excel writes it (content types, package and workbook
// relationships for every part), so strict readers such as openpyxl accept it too.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { columnLetters } from '../src/extract/xlsx.js';
import { xmlText } from '../src/publish/report/xlsx-writer.js';

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Row XML; text goes into `shared` (the shared-strings table, as Excel writes) when given, else inline. */
export function rowXml(rowNumber: number, cells: readonly (string | number | null)[], shared?: Map<string, number>): string {
  let xml = `<row r="${rowNumber}">`;
  cells.forEach((v, i) => {
    if (v === null || v === '') return;
    const ref = `${columnLetters(i)}${rowNumber}`;
    const text = String(v);
    if (NUMBER.test(text) && !/^0\d/.test(text)) xml += `<c r="${ref}"><v>${text}</v></c>`;
    else if (shared) {
      let index = shared.get(text);
      if (index === undefined) shared.set(text, (index = shared.size));
      xml += `<c r="${ref}" t="s"><v>${index}</v></c>`;
    } else xml += `<c r="${ref}" t="inlineStr"><is><t>${xmlText(text)}</t></is></c>`;
  });
  return xml + '</row>';
}

export interface SheetSpec {
  name: string;
  rows: Iterable<readonly (string | number | null)[]>;
}

/** Write an xlsx with the given sheets, streaming rows into the zip (memory stays small). */
export async function writeXlsx(file: string, sheets: SheetSpec[], opts: { sharedStrings?: boolean } = {}): Promise<void> {
  const shared = opts.sharedStrings ? new Map<string, number>() : undefined;
  const out = createWriteStream(file);
  let failed: Error | undefined;
  const zip = new Zip((err, chunk, final) => {
    if (err) failed = err;
    else {
      out.write(chunk);
      if (final) out.end();
    }
  });
  const add = (name: string, text: string) => {
    const f = new ZipPassThrough(name);
    zip.add(f);
    f.push(strToU8(text), true);
  };
  const sharedOverride = shared ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : '';
  add(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}${sharedOverride}</Types>`,
  );
  add(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  add(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
  );
  const sharedRel = shared
    ? `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
    : '';
  add(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}${sharedRel}</Relationships>`,
  );
  for (const [i, sheet] of sheets.entries()) {
    const f = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 6 });
    zip.add(f);
    f.push(strToU8('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'));
    let n = 0;
    let buf = '';
    for (const row of sheet.rows) {
      buf += rowXml(++n, row, shared);
      if (buf.length > 1 << 20) {
        f.push(strToU8(buf));
        buf = '';
        if (out.writableNeedDrain) await once(out, 'drain');
      }
    }
    f.push(strToU8(buf + '</sheetData></worksheet>'), true);
  }
  if (shared)
    add(
      'xl/sharedStrings.xml',
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${shared.size}">${[...shared.keys()].map((t) => `<si><t>${xmlText(t)}</t></si>`).join('')}</sst>`,
    );
  zip.end();
  await once(out, 'close');
  if (failed) throw failed;
}
