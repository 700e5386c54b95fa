// Sanity for a delimited text file read whole by DuckDB (O*NET's tab-separated members, the
// Projections Central CSV): a file cut short inside a zip or a download still parses, so its end
// is checked first. A file that does not end with a line break was cut mid-line; the error names
// the file, the line and the column the cut fell in.
import { open, readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';

/** Bytes read at a time while counting lines. */
const CHUNK_BYTES = 1 << 20;

/**
 * Throw a DataError unless `file` ends with a line break (an empty file is refused too).
 * `displayName` is how the error names it (URL and zip entry); `header` names the columns, so
 * the error can say which one the cut fell in; `delimiter` separates them.
 */
export async function checkTextFileEnd(file: string, displayName: string, header: readonly string[], delimiter: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new DataError(displayName, 1, header[0] ?? 'any', 'the file is empty');
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    // Cut mid-line: count the lines (the last one is the cut one) and its fields.
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let lines = 1;
    let lastLineStart = 0;
    for (let position = 0; position < size; position += CHUNK_BYTES) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      for (let i = buffer.indexOf(0x0a, 0); i >= 0 && i < bytesRead; i = buffer.indexOf(0x0a, i + 1)) {
        lines++;
        lastLineStart = position + i + 1;
      }
    }
    const tail = Buffer.alloc(Math.min(size - lastLineStart, CHUNK_BYTES));
    await handle.read(tail, 0, tail.length, lastLineStart);
    const fields = tail.toString('utf8').split(delimiter).length;
    const column = header[Math.min(fields, header.length) - 1] ?? 'any';
    throw new DataError(displayName, lines, column, `the file ends mid-line (no line break after its last row, ${fields} of ${header.length} fields): it was cut short`);
  } finally {
    await handle.close();
  }
}

/** The fields of a text file's first line (its header), split on `delimiter`. */
export async function firstLine(file: string, delimiter: string): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    return buffer
      .toString('utf8', 0, end < 0 ? bytesRead : end)
      .replace(/\r$/, '')
      .split(delimiter);
  } finally {
    await handle.close();
  }
}

/**
 * Whether a UTF-8 text file holds a control character (C0 but tab, line feed and carriage
 * return; DEL; C1, encoded as 0xC2 0x80-0x9F). Scanned in Node (fast next to the load)
 * so that the load rewrites a table only when its file has one: nearly never.
 */
export async function hasControlCharacters(file: string): Promise<boolean> {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]|\xC2[\x80-\x9F]/.test((await readFile(file)).toString('latin1'));
}
