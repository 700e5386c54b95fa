// DuckDB's settings for a run's warehouse, in a module of their own: the environment parser
// (src/env.ts) takes its defaults from here without loading DuckDB.

/** DuckDB's settings for a run's warehouse (LMI_DUCKDB_MEMORY and LMI_DUCKDB_THREADS, src/env.ts). */
export interface DuckDbSettings {
  /** Its memory cap; past it DuckDB spills to disk, and a query that cannot spill fails. */
  memoryLimit: string;
  /** Threads per connection. */
  threads: number;
}

/**
 * The defaults of DuckDbSettings. A 1 GB cap is twice what the largest run here needs (the
 * all-areas workbook's marts, about 512 MB), so no run fails on the default; a 160 MB cap, chosen
 * for a smaller peak, failed 3 warm state refreshes in 17 (docs/performance.md has what each run
 * costs). One thread: the run's tables are smaller than one DuckDB row group, which a scan hands
 * to one thread, so a second only contended (docs/performance.md).
 */
export const DEFAULT_DUCKDB: DuckDbSettings = { memoryLimit: '1GB', threads: 1 };
