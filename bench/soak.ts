// `npm run bench:soak`: the national + every-state refresh from a warm raw cache, rebuilt and
// published (--force --no-report) SOAK_RUNS times in a row (default 50) at the default settings,
// as a board's scheduler would run it. Every run must publish: one failure ends the script with
// exit 1 and the failing run's stderr. Prints each run's time and peak RSS, then their spread.
// The figures for docs/performance.md; not a test (it takes about three minutes).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startMirrorServer } from '../testkit/mirror-server.js';
import { DIR, type Measure, measure, refreshMirror, stateRefreshArgs } from './refresh.js';

const RUNS = Number(process.env.SOAK_RUNS ?? 50);

async function main() {
  const mirror = await refreshMirror();
  const server = await startMirrorServer([mirror]);
  const out = path.join(DIR, 'soak-output');
  await rm(out, { recursive: true, force: true });
  const runs: Measure[] = [];
  let failure: string | undefined;
  try {
    await measure([path.join('bin', 'lmi.js'), ...stateRefreshArgs(out, server.url, '--no-report')]); // warms the raw cache
    for (let i = 1; i <= RUNS && !failure; i++) {
      try {
        const r = await measure([path.join('bin', 'lmi.js'), ...stateRefreshArgs(out, server.url, '--force', '--no-report')]);
        if (!/published snapshot/.test(r.stdout)) throw Object.assign(new Error('did not publish'), { stderr: r.stderr, stdout: r.stdout });
        runs.push(r);
        console.log(`run ${String(i).padStart(2)}: ${r.seconds.toFixed(2)} s  ${r.peakMB} MB peak`);
      } catch (err) {
        const e = err as Error & { stderr?: string; stdout?: string };
        failure = `run ${i} failed: ${(e.stderr || e.stdout || e.message).trim()}`;
      }
    }
  } finally {
    await server.close();
  }
  if (failure) {
    console.log(`${failure}\n${runs.length} of ${RUNS} runs published before it`);
    process.exitCode = 1;
    return;
  }
  const spread = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `min ${s[0]}, median ${s[Math.floor(s.length / 2)]}, max ${s[s.length - 1]}`;
  };
  console.log(`\n${runs.length} of ${RUNS} runs published, none failed`);
  console.log(`seconds: ${spread(runs.map((r) => Number(r.seconds.toFixed(2))))}`);
  console.log(`peak RSS MB: ${spread(runs.map((r) => r.peakMB))}`);
}

await main();
