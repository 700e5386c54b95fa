// A streaming xlsx writer for the report's demand.xlsx: the workbook's parts as OOXML text,
// packed into the zip by fflate as the rows come, each sheet deflated by Node's zlib. It writes what the report needs and no
// more: text as inline strings (never formulas, so nothing from a downloaded file can run),
// numbers with a number format per column, booleans, column widths, a frozen header row and an
// autofilter. exceljs's streaming writer did the same as slowly as the report's pages took to
// build; this takes a fraction of that.
import { closeSync, openSync, writeSync } from 'node:fs';
import zlib from 'node:zlib';
import { Zip, ZipPassThrough, strToU8 } from 'fflate';
import { columnLetters } from '../../extract/xlsx.js';
import { DefinitionError } from '../../errors.js';

export interface XlsxColumn {
  header: string;
  /** Width in characters. */
  width: number;
  /** Excel number format for this column's numbers (e.g. `#,##0`); none: General. */
  numFmt?: string;
}

export type XlsxValue = string | number | boolean | null | undefined;

// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it finds, to drop them.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as XML character data: markup escaped, and the characters XML 1.0 cannot hold (control
 * characters, U+FFFE/U+FFFF, unpaired surrogates) dropped.
 */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The most characters an Excel cell holds; a longer text would make Excel call the file damaged. */
export const CELL_TEXT_LIMIT = 32_767;

/** Excel's built-in number formats (no numFmt element needed). */
const BUILT_IN_FORMATS: Record<string, number> = { '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10 };
/** XML of each part is deflated in pieces of about this many characters. */
const PIECE_CHARS = 1 << 20;

/**
 * A zip entry deflated by Node's zlib, piece by piece: each piece is its own deflate stream
 * ended by a sync flush (the last by the final block), and their concatenation is one valid
 * deflate stream, as pigz writes them. fflate's own deflate, in JavaScript, took a large share
 * of the workbook's time; zlib's takes a fraction of that.
 */
class DeflatedPart extends ZipPassThrough {
  constructor(filename: string) {
    super(filename);
    this.compression = 8;
    this.crc = 0;
  }

  override push(chunk: Uint8Array, final = false): void {
    // zlib.crc32 came in Node 20.15 and 22.2; before, fflate's own CRC (in JavaScript).
    if (typeof zlib.crc32 !== 'function') {
      super.push(chunk, final);
      return;
    }
    this.crc = zlib.crc32(chunk, this.crc);
    this.size += chunk.length;
    this.process(chunk, final);
  }

  override process(chunk: Uint8Array, final: boolean): void {
    const flush = final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
    this.ondata(null, zlib.deflateRawSync(chunk, { level: 6, finishFlush: flush }), final);
  }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** One sheet being written: rows go straight into its deflated part. */
export class XlsxSheet {
  private rowNumber = 0;
  private ended = false;
  private xml = '';
  private readonly letters: string[];
  /** Each column's style index for numbers (0: General). */
  private readonly styles: number[];

  constructor(
    private readonly part: DeflatedPart,
    private readonly columns: XlsxColumn[],
    styleOf: (numFmt: string | undefined) => number,
  ) {
    this.letters = columns.map((_, i) => columnLetters(i));
    this.styles = columns.map((c) => styleOf(c.numFmt));
    const widths = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
    this.xml =
      `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>' +
      `<sheetFormatPr defaultRowHeight="15"/>${widths ? `<cols>${widths}</cols>` : ''}<sheetData>`;
    this.row(
      columns.map((c) => c.header),
      false,
    );
  }

  /** A row of values in column order: null and undefined leave the cell empty. */
  addRow(values: readonly XlsxValue[]): void {
    this.row(values, true);
  }

  private row(values: readonly XlsxValue[], styled: boolean): void {
    const r = ++this.rowNumber;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      const ref = `${this.letters[i] ?? columnLetters(i)}${r}`;
      if (typeof v === 'number' && Number.isFinite(v)) {
        const s = styled ? (this.styles[i] ?? 0) : 0;
        xml += s ? `<c r="${ref}" s="${s}"><v>${v}</v></c>` : `<c r="${ref}"><v>${v}</v></c>`;
      } else if (typeof v === 'boolean') xml += `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
      else {
        // Longer text is cut to what a cell holds (the JSON, CSV and Parquet files keep it whole).
        const text = String(v).slice(0, CELL_TEXT_LIMIT);
        const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
        xml += `<c r="${ref}" t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
      }
    }
    this.xml += `${xml}</row>`;
    if (this.xml.length >= PIECE_CHARS) {
      this.part.push(Buffer.from(this.xml));
      this.xml = '';
    }
  }

  /** Close the sheet (its autofilter over the header row); the workbook does it at the next sheet or at close. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const last = `${columnLetters(Math.max(0, this.columns.length - 1))}1`;
    this.part.push(Buffer.from(`${this.xml}</sheetData><autoFilter ref="A1:${last}"/></worksheet>`), true);
    this.xml = '';
  }
}

/** A workbook written sheet by sheet into `file` (one sheet open at a time). */
export class XlsxWriter {
  private readonly zip: Zip;
  private readonly fd: number;
  private failed: Error | undefined;
  private readonly sheets: string[] = [];
  private readonly formats: string[] = [];
  private open: XlsxSheet | undefined;
  private closed = false;

  constructor(
    file: string,
    private readonly props: { creator: string; created: Date },
  ) {
    this.fd = openSync(file, 'w');
    // fflate deflates on this thread as parts are pushed; its output is written as it comes.
    this.zip = new Zip((err, chunk) => {
      if (err) this.failed ??= err;
      else if (!this.failed) writeSync(this.fd, chunk);
    });
  }

  /** Style index of numbers in `numFmt` (0, General, for none). */
  private styleOf = (numFmt: string | undefined): number => {
    if (!numFmt) return 0;
    let i = this.formats.indexOf(numFmt);
    if (i < 0) i = this.formats.push(numFmt) - 1;
    return i + 1;
  };

  addSheet(name: string, columns: XlsxColumn[]): XlsxSheet {
    this.open?.end();
    this.sheets.push(name);
    const part = new DeflatedPart(`xl/worksheets/sheet${this.sheets.length}.xml`);
    this.zip.add(part);
    this.open = new XlsxSheet(part, columns, this.styleOf);
    return this.open;
  }

  private text(name: string, xml: string): void {
    const part = new ZipPassThrough(name);
    this.zip.add(part);
    part.push(strToU8(xml), true);
  }

  /** Let go of the file unfinished (after a failure; the caller removes it). No-op once closed. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Write the package's other parts and finish the file. */
  close(): void {
    if (this.closed) throw new DefinitionError('the workbook is already closed');
    try {
      this.open?.end();
      this.open = undefined;
      const n = this.sheets.length;
      const sheetTypes = this.sheets
        .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
        .join('');
      this.text(
        '[Content_Types].xml',
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheetTypes}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
      );
      this.text(
        '_rels/.rels',
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
      );
      const when = this.props.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
      const creator = xmlText(this.props.creator);
      this.text(
        'docProps/core.xml',
        `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>${creator}</dc:creator><cp:lastModifiedBy>${creator}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`,
      );
      this.text(
        'xl/workbook.xml',
        `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${this.sheets.map((s, i) => `<sheet name="${xmlText(s)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      );
      this.text(
        'xl/_rels/workbook.xml.rels',
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${this.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId${n + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
      );
      let custom = 164;
      const ids = this.formats.map((f) => BUILT_IN_FORMATS[f] ?? custom++);
      const numFmts = this.formats.flatMap((f, i) => (f in BUILT_IN_FORMATS ? [] : [`<numFmt numFmtId="${ids[i]}" formatCode="${xmlText(f)}"/>`]));
      this.text(
        'xl/styles.xml',
        `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">${numFmts.length ? `<numFmts count="${numFmts.length}">${numFmts.join('')}</numFmts>` : ''}<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${ids.length + 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>${ids.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join('')}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
      );
      this.zip.end();
    } finally {
      this.abort();
    }
    if (this.failed) throw this.failed;
  }
}
