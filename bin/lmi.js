#!/usr/bin/env node
// Starts the compiled CLI, bundled into dist/cli/ (`npm run build`, which `npm ci` runs as its
// prepare step). Set LMI_FROM_SOURCE=1 to run the TypeScript sources through tsx instead,
// without a build.
import { constants } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

// DuckDB's allocator (its own jemalloc), read when DuckDB loads, so set before the CLI is
// imported (a value already in the environment wins): one arena instead of one per 1/4 core,
// and freed pages handed back after 0.5 s instead of 10 s: a lower peak in the same time.
process.env.DUCKDB_JE_MALLOC_CONF ??= 'narenas:1,dirty_decay_ms:500,muzzy_decay_ms:0';

/**
 * The commands that build the warehouse run in a worker thread, so that V8's young generation
 * can be kept small: 6 MB, two 2 MB semi-spaces, instead of growing to two 16 MB ones while the
 * workbooks are read (V8 never gives them back). Node's own thread takes that only from its
 * command line (`--max-semi-space-size`), a worker from `resourceLimits`. It is the same
 * process, so its memory counts with the rest: a lower peak at a small cost in time (a smaller
 * young generation cost more time for little memory).
 * Other commands start on this thread: a worker takes a moment to start.
 */
const WORKER_COMMANDS = new Set(['run', 'schedule']);
const WORKER_YOUNG_GENERATION_MB = 6;

if (isMainThread) {
  // `lmi diff … | head` closes stdout early: the reader's choice, not an error. Handled here
  // whichever thread runs the CLI: a worker's stdout is a pipe to this thread's.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (WORKER_COMMANDS.has(command)) startInWorker();
  else await startCli();
} else {
  // This file again, as the worker startInWorker started.
  forwardSignals();
  await startCli();
}

async function startCli() {
  if (process.env.LMI_FROM_SOURCE) {
    (await import('tsx/esm/api')).register();
    await import('../src/cli/main.ts');
  } else {
    await import('../dist/cli/main.js').catch((err) => {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
      process.stderr.write('lmi: the compiled CLI is missing: run `npm run build` (npm ci runs it) first\n');
      process.exit(1);
    });
  }
}

/** This file again, as a worker: its exit code is the process's, signals are passed on to it. */
function startInWorker() {
  const worker = new Worker(new URL(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const pass = (signal) => worker.postMessage({ signal });
  process.on('SIGTERM', pass).on('SIGINT', pass);
  worker.on('error', (err) => {
    process.stderr.write(`lmi: unexpected error: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  });
  worker.on('exit', (code) => {
    process.exitCode ||= code;
    process.off('SIGTERM', pass).off('SIGINT', pass);
  });
}

/**
 * In the worker, a signal the process received reaches the CLI's own handlers (signals reach
 * only the main thread); with none, it ends the command as the signal would have.
 */
function forwardSignals() {
  parentPort.on('message', (message) => {
    const signal = message?.signal;
    if (signal !== 'SIGTERM' && signal !== 'SIGINT') return;
    if (process.listenerCount(signal) > 0) process.emit(signal, signal);
    else process.exit(128 + constants.signals[signal]);
  });
  parentPort.unref();
}
