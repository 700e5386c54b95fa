// Give every entry of a zip file one fixed modification time, in place. exceljs (through
// archiver) stamps entries with the time of writing; the same snapshot must give the same bytes,
// so its entries take the snapshot's own time instead. Only the DOS time and date fields of the
// local and central directory headers change; contents, sizes and CRCs stay as written.
import { open } from 'node:fs/promises';
import { PublishError } from '../../errors.js';

/** DOS time and date words for a moment (local fields, written as UTC for reproducibility). */
export function dosDateTime(when: Date): { time: number; date: number } {
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2),
    date: ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

export async function setZipEntryDates(file: string, when: Date): Promise<number> {
  const { time, date } = dosDateTime(when);
  const fh = await open(file, 'r+');
  try {
    const { size } = await fh.stat();
    // End of central directory: 22 bytes plus a comment of at most 64 KiB, at the end.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new PublishError(`${file}: no zip end-of-central-directory record`);
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(date, 2);
    let at = 0;
    for (let i = 0; i < entries; i++) {
      if (cd.readUInt32LE(at) !== 0x02014b50) throw new PublishError(`${file}: damaged central directory at entry ${i}`);
      stamp.copy(cd, at + 12);
      const localOffset = cd.readUInt32LE(at + 42);
      await fh.write(stamp, 0, 4, localOffset + 10);
      at += 46 + cd.readUInt16LE(at + 28) + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    }
    await fh.write(cd, 0, cdSize, cdOffset);
    return entries;
  } finally {
    await fh.close();
  }
}
