// A real process for the lock race test: wait for a common start time, try the lock once,
// and if it gets it, record when it held it.
import { appendFileSync } from 'node:fs';
import pino from 'pino';
import { acquireLock } from '../../src/operate/lock.js';

const [file, record, startAt] = process.argv.slice(2) as [string, string, string];
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
try {
  const lock = await acquireLock(file, 'race test', pino({ level: 'silent' }));
  const start = performance.timeOrigin + performance.now();
  await new Promise((r) => setTimeout(r, 150));
  const end = performance.timeOrigin + performance.now();
  appendFileSync(record, `${process.pid} ${start} ${end}\n`);
  await lock.release();
} catch {
  // refused: another process holds it
}
