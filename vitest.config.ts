import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Whole pipeline runs take a few seconds each on two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB and the xlsx reader are CPU-bound; two workers match the machine, and each run's
    // DuckDB gets one thread so two files at once do not oversubscribe the two cores
    // (measured: the suite takes 109 s instead of 126 s).
    maxWorkers: 2,
    env: { LMI_DUCKDB_THREADS: '1' },
  },
});
