import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Whole pipeline runs take a few seconds each on two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB and the xlsx reader are CPU-bound; two workers match the machine. DuckDB runs one
    // thread per connection (Warehouse.open), so two files at once do not oversubscribe the two
    // cores (measured when runs took every core: the suite took 126 s instead of 109 s).
    maxWorkers: 2,
  },
});
