#!/usr/bin/env node
// Starts the compiled CLI (`npm run build`, which `npm ci` runs as its prepare step). Set
// LMI_FROM_SOURCE=1 to run the TypeScript sources through tsx instead, without a build.

// DuckDB's allocator (its own jemalloc), read when DuckDB loads, so set before the CLI is
// imported (a value already in the environment wins): one arena instead of one per 1/4 core,
// and freed pages handed back after 0.5 s instead of 10 s. The national + state refresh peaked
// at 620 MB without it, 515 MB with it, in the same time (docs/performance.md).
process.env.DUCKDB_JE_MALLOC_CONF ??= 'narenas:1,dirty_decay_ms:500,muzzy_decay_ms:0';
if (process.env.LMI_FROM_SOURCE) {
  (await import('tsx/esm/api')).register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/src/cli/main.js').catch((err) => {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/src/cli/main.js')) throw err;
    process.stderr.write('lmi: the compiled CLI is missing: run `npm run build` (npm ci runs it) first\n');
    process.exit(1);
  });
}
