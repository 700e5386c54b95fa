// A streaming xlsx row reader: zip entry stream → text chunks → <row> elements → cell strings.
// Written by hand because the well-kept readers are too slow or too hungry at OEWS all-data
// scale (exceljs's WorkbookReader is many times slower, docs/performance.md; SheetJS hangs on the largest sheets), and the
// sheet XML that Excel writes is regular enough that a targeted scanner is exact.
// Memory is bounded by one chunk plus the shared-strings table, never by the sheet.
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DataError, XlsxError } from '../errors.js';
import { ZipArchive } from './zip.js';

/** One sheet row: 1-based row number as Excel shows it, and cell texts by 0-based column. */
export interface SheetRow {
  row: number;
  /** Cell values as exact text (numbers as written in the file, never re-rounded); null when empty. */
  cells: (string | null)[];
}

export interface SheetInfo {
  name: string;
  /** Path of the sheet's XML inside the package, e.g. xl/worksheets/sheet1.xml. */
  part: string;
}

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// OOXML escapes control characters as _xHHHH_ inside text.
const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Control characters (C0 but tab, line feed and carriage return; DEL; C1). XML text can carry
 * them only escaped (&#27; or _x001B_), and a downloaded title must never reach a terminal as an
 * escape sequence (a clear-screen, a window title), so the readers drop them as they decode.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function decodeXmlText(s: string): string {
  if (s.indexOf('&') >= 0)
    s = s.replace(ENTITY, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) =>
      named ? NAMED[named]! : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
    );
  if (s.indexOf('_x') >= 0) s = s.replace(OOXML_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return s.replace(CONTROL_CHARACTERS, '');
}

const attrPatterns = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
  let re = attrPatterns.get(name);
  if (!re) attrPatterns.set(name, (re = new RegExp(`(?:^|\\s)${name}="([^"]*)"`)));
  const m = re.exec(attrs);
  return m ? m[1] : undefined;
}

/**
 * Where the value of the one-letter attribute `letter` (a char code: r, t) starts inside the tag
 * at [from, to), or -1. Steps from one `="` to the next inside the tag only: a search for ' t="'
 * would run on past a cell without a type into the cells after it, which cost a fifth of the
 * reading time of a 400k-row sheet.
 */
function attrStart(xml: string, letter: number, from: number, to: number): number {
  for (let i = xml.indexOf('="', from); i >= 0 && i < to; i = xml.indexOf('="', i + 2)) {
    if (xml.charCodeAt(i - 1) === letter && xml.charCodeAt(i - 2) === 32) return i + 2;
  }
  return -1;
}

/** Text of all <t> runs inside an <si> or <is>, leaving out phonetic (<rPh>) runs. */
function richText(xml: string): string {
  // The common case, one plain run: <t>text</t>.
  if (xml.startsWith('<t>') && xml.indexOf('<', 3) === xml.length - 4) {
    const t = xml.slice(3, -4);
    return t.indexOf('&') >= 0 || t.indexOf('_x') >= 0 ? decodeXmlText(t) : t;
  }
  if (xml.indexOf('<rPh') >= 0) xml = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out += m[1];
  return decodeXmlText(out);
}

/** "AB12" → 27 (0-based column index). */
export function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** 0-based column index → Excel letters ("A", "AF"), for error messages. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

interface Relationship {
  type: string;
  /** The target as a part name inside the package (no leading slash). */
  target: string;
}

/** "xl/workbook.xml" → "xl/_rels/workbook.xml.rels". */
function relsPartFor(part: string): string {
  return path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);
}

/** A relationships part by Id, targets resolved against the part they belong to. */
async function readRelationships(zip: ZipArchive, relsPart: string): Promise<Map<string, Relationship>> {
  const out = new Map<string, Relationship>();
  if (!zip.entries.has(relsPart)) return out;
  // _rels/.rels belongs to the package root; xl/_rels/x.rels to xl/x.
  const base = path.posix.dirname(path.posix.dirname(relsPart));
  for (const m of (await zip.readText(relsPart)).matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = attr(m[1]!, 'Id');
    const target = attr(m[1]!, 'Target');
    const type = attr(m[1]!, 'Type') ?? '';
    if (!id || !target || attr(m[1]!, 'TargetMode') === 'External') continue;
    out.set(id, { type, target: target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(base === '.' ? '' : base, target)) });
  }
  return out;
}

/** Where a sheet's errors happened: the name errors use for the workbook, and the sheet's name. */
export interface SheetPlace {
  file: string;
  sheet: string;
}

/**
 * The cells of one row from the XML inside its <row> element, by 0-based column; `firstColumn`
 * is the column of a first cell that has no r= (for a part of a row).
 */
export function parseCells(inner: string, shared: string[], where: SheetPlace, rowNumber: number, firstColumn = 0): (string | null)[] {
  const cells: (string | null)[] = [];
  // A hand-written scan of indexes into `inner` (no regex, no substring per attribute or
  // cell body): this runs for every cell of 400k-row sheets.
  let next = firstColumn;
  let pos = 0;
  for (;;) {
    const open = inner.indexOf('<c', pos);
    if (open < 0) break;
    const after = inner.charCodeAt(open + 2);
    // Only <c> and <c …>, not <col> or other tags starting with "c".
    if (after !== 32 && after !== 62 && after !== 47) {
      pos = open + 2;
      continue;
    }
    const tagEnd = inner.indexOf('>', open);
    const selfClosing = inner.charCodeAt(tagEnd - 1) === 47;
    // r="AF12": the column letters, read in place.
    const r = attrStart(inner, 114 /* r */, open, tagEnd);
    let col = next;
    if (r >= 0) {
      col = 0;
      for (let i = r; ; i++) {
        const c = inner.charCodeAt(i);
        if (c < 65 || c > 90) break;
        col = col * 26 + (c - 64);
      }
      col -= 1;
    }
    next = col + 1;
    if (selfClosing) {
      pos = tagEnd + 1;
      continue;
    }
    const close = inner.indexOf('</c>', tagEnd);
    pos = close + 4;
    const t = attrStart(inner, 116 /* t */, open, tagEnd);
    // The type's first letters tell s(hared), b(oolean), inlineStr, str and n apart.
    const t0 = t >= 0 ? inner.charCodeAt(t) : 0;
    const t1 = t >= 0 ? inner.charCodeAt(t + 1) : 0;
    let value: string | null = null;
    if (t0 === 105 /* i */) {
      value = richText(inner.slice(tagEnd + 1, close));
    } else {
      const start = inner.indexOf('<v>', tagEnd);
      if (start >= 0 && start < close) {
        const v = inner.slice(start + 3, inner.indexOf('</v>', start));
        if (t0 === 115 /* s */ && t1 === 34 /* s" */) value = sharedString(shared, v, where, col, rowNumber);
        else if (t0 === 98 /* b */) value = v === '1' ? 'TRUE' : 'FALSE';
        else value = v.indexOf('&') >= 0 || v.indexOf('_x') >= 0 ? decodeXmlText(v) : v;
      }
    }
    while (cells.length < col) cells.push(null);
    cells[col] = value === '' ? null : value;
  }
  return cells;
}

/** Shared string number `index` (the text of a t="s" cell's <v>), or an error naming the cell. */
export function sharedString(shared: string[], index: string, where: SheetPlace, col: number, rowNumber: number): string {
  const sv = shared[Number(index)];
  if (sv === undefined) throw new XlsxError(where.file, `sheet "${where.sheet}" cell ${columnLetters(col)}${rowNumber}: shared string ${index} does not exist`);
  return sv;
}

/** The last row a sheet's <dimension ref="A1:AF1404"/> says it has, where it says so (in the XML before <sheetData>). */
export function declaredLastRowOf(head: string): number | undefined {
  const dim = /<dimension\b[^>]*\bref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(head);
  return dim ? Number(dim[1]) : undefined;
}

/**
 * A sheet cut short can still be a well-formed zip entry: only its closing tags (in `tail`, the
 * XML after the last row) and the row count its <dimension> declares prove every row was read.
 */
export function checkSheetEnd(where: SheetPlace, tail: string, lastRow: number, declaredLastRow: number | undefined): void {
  const { file, sheet } = where;
  if (!/<\/sheetData>/.test(tail) && !/<sheetData\s*\/>/.test(tail))
    throw new XlsxError(file, `sheet "${sheet}" ends after row ${lastRow} without </sheetData>: the sheet is cut off`);
  if (!/<\/worksheet>\s*$/.test(tail)) throw new XlsxError(file, `sheet "${sheet}" ends without </worksheet>: the sheet is cut off`);
  if (declaredLastRow !== undefined && lastRow < declaredLastRow)
    throw new XlsxError(file, `sheet "${sheet}" declares rows up to ${declaredLastRow} (<dimension>) but ends at row ${lastRow}: the sheet is cut off`);
}

/**
 * An error met while reading a sheet, as the error to throw: the reader's own and a value's
 * (DataError) as they are; others (a damaged zip entry) as an XlsxError naming the workbook by
 * its display name and the sheet.
 */
export function sheetReadError(where: SheetPlace, err: unknown): Error {
  if (err instanceof XlsxError || err instanceof DataError) return err;
  return new XlsxError(where.file, `sheet "${where.sheet}" could not be read: ${(err as Error).message}`);
}

export class XlsxWorkbook {
  private sharedStrings: string[] | undefined;

  private constructor(
    /** The name errors use: the URL and zip entry it came from, not a scratch path. */
    readonly file: string,
    private readonly zip: ZipArchive,
    readonly sheets: SheetInfo[],
    private readonly sharedStringsPart: string | undefined,
  ) {}

  static async open(file: string, displayName = file): Promise<XlsxWorkbook> {
    let zip: ZipArchive;
    try {
      zip = await ZipArchive.open(file);
    } catch (err) {
      throw new XlsxError(displayName, `is not an xlsx workbook (${(err as Error).message.replace(/^.*?: /, '')})`);
    }
    try {
      // Follow the package relationships as strict readers (Excel, openpyxl) do: the package's
      // _rels/.rels names the workbook part, and the workbook's rels name its sheets and its
      // shared-strings part. A package without them is not an xlsx file Excel would open.
      const packageRels = await readRelationships(zip, '_rels/.rels');
      const workbookPart = [...packageRels.values()].find((r) => r.type.endsWith('/officeDocument'))?.target;
      if (!packageRels.size || !workbookPart || !zip.entries.has(workbookPart))
        throw new XlsxError(displayName, 'is not an xlsx workbook (its _rels/.rels names no workbook part)');
      const workbook = await zip.readText(workbookPart);
      const targets = await readRelationships(zip, relsPartFor(workbookPart));
      const sheets: SheetInfo[] = [];
      for (const m of workbook.matchAll(/<sheet\b([^>]*)\/?>/g)) {
        const name = decodeXmlText(attr(m[1]!, 'name') ?? '');
        const rid = attr(m[1]!, 'r:id');
        const part = rid ? targets.get(rid)?.target : undefined;
        if (part) sheets.push({ name, part });
      }
      if (sheets.length === 0) throw new XlsxError(displayName, 'has no worksheets');
      const sharedStringsPart = [...targets.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target;
      return new XlsxWorkbook(displayName, zip, sheets, sharedStringsPart);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  /** The sheet named `name` (case- and space-insensitive), or the first sheet when no name is given. */
  sheet(name?: string | RegExp): SheetInfo {
    if (name === undefined) return this.sheets[0]!;
    const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
    const found = this.sheets.find((s) => (typeof name === 'string' ? norm(s.name) === norm(name) : name.test(s.name)));
    if (!found) throw new XlsxError(this.file, `has no sheet ${String(name)}; its sheets are: ${this.sheets.map((s) => `"${s.name}"`).join(', ')}`);
    return found;
  }

  private async loadSharedStrings(): Promise<string[]> {
    if (this.sharedStrings) return this.sharedStrings;
    const strings: string[] = [];
    if (this.sharedStringsPart) {
      if (!this.zip.entries.has(this.sharedStringsPart))
        throw new XlsxError(this.file, `its workbook names a shared-strings part ${this.sharedStringsPart} that is not in the package`);
      const xml = await this.zip.readText(this.sharedStringsPart);
      for (const m of xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) strings.push(m[1] === undefined ? '' : richText(m[1]));
    }
    this.sharedStrings = strings;
    return strings;
  }

  /** The sheet's rows one at a time (see rowBatches, which large sheets should use). */
  async *rows(sheet: SheetInfo = this.sheets[0]!): AsyncGenerator<SheetRow> {
    for await (const batch of this.rowBatches(sheet)) yield* batch;
  }

  /**
   * The sheet's XML as it inflates, and the shared strings its cells point to: for readers that
   * scan the bytes themselves (sheetCsv); they check the sheet's head and end as rowBatches does.
   */
  async openSheet(sheet: SheetInfo): Promise<{ bytes: Readable; shared: string[] }> {
    const shared = await this.loadSharedStrings();
    return { bytes: await this.zip.openStream(sheet.part), shared };
  }

  /**
   * The sheet's rows in batches, one per inflated chunk of the sheet (about a thousand rows):
   * an await per batch instead of per row, which for 400k-row sheets was a large part of the
   * reading time. Rows with no cells are left out.
   */
  async *rowBatches(sheet: SheetInfo = this.sheets[0]!): AsyncGenerator<SheetRow[]> {
    const { bytes: stream, shared } = await this.openSheet(sheet);
    const decoder = new StringDecoder('utf8');
    const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
    let buf = '';
    let lastRow = 0;
    let declaredLastRow: number | undefined;
    let sawHead = false;
    const where = { file: this.file, sheet: sheet.name };

    const parseRow = (attrs: string, inner: string | undefined): SheetRow => {
      const r = attr(attrs, 'r');
      const rowNumber = r ? Number(r) : lastRow + 1;
      lastRow = rowNumber;
      return { row: rowNumber, cells: inner ? parseCells(inner, shared, where, rowNumber) : [] };
    };

    try {
      for await (const chunk of stream) {
        buf += decoder.write(chunk as Buffer);
        if (!sawHead) {
          const sheetData = buf.indexOf('<sheetData');
          if (sheetData < 0 && buf.length < 1 << 20) continue;
          sawHead = true;
          declaredLastRow = declaredLastRowOf(buf.slice(0, sheetData < 0 ? undefined : sheetData));
        }
        // Only parse up to the last complete row; keep the tail for the next chunk.
        const end = buf.lastIndexOf('</row>');
        if (end < 0) continue;
        const cut = end + '</row>'.length;
        const complete = buf.slice(0, cut);
        buf = buf.slice(cut);
        rowRe.lastIndex = 0;
        let m: RegExpExecArray | null;
        const batch: SheetRow[] = [];
        while ((m = rowRe.exec(complete))) {
          const row = parseRow(m[1]!, m[2]);
          if (row.cells.length > 0) batch.push(row);
        }
        if (batch.length) yield batch;
      }
      buf += decoder.end();
      rowRe.lastIndex = 0;
      let m: RegExpExecArray | null;
      const batch: SheetRow[] = [];
      while ((m = rowRe.exec(buf))) {
        const row = parseRow(m[1]!, m[2]);
        if (row.cells.length > 0) batch.push(row);
      }
      if (batch.length) yield batch;
      checkSheetEnd(where, buf, lastRow, declaredLastRow);
    } catch (err) {
      throw sheetReadError(where, err);
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

/** Open, use and always close a workbook; `displayName` (URL and entry) is what errors name. */
export async function withWorkbook<T>(file: string, use: (wb: XlsxWorkbook) => Promise<T>, displayName = file): Promise<T> {
  const wb = await XlsxWorkbook.open(file, displayName);
  try {
    return await use(wb);
  } finally {
    wb.close();
  }
}
