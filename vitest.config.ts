import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Whole pipeline runs take a few seconds each on two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB and the xlsx reader are CPU-bound; two workers match the machine.
    maxWorkers: 2,
  },
});
