// What the datasets have loaded so far, for the staging models that run while later datasets
// still load (src/run.ts loadAll).
import type { LoadedSource } from '../context.js';
import type { Model } from '../transform/models.js';
import type { Warehouse } from './warehouse.js';

/**
 * What the datasets have loaded so far. The staging models run while later datasets still load
 * (in Node, on its one thread, while DuckDB builds on other cores): each starts once the raw
 * tables and the variables it reads are there, or when loading has ended (a table still missing
 * is then the model's own error).
 */
export class LoadProgress {
  private readonly tables = new Set<string>();
  private readonly variables = new Set<string>();
  private readonly waiting: { model: Model; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private ended: { error?: unknown } | undefined;

  constructor(private readonly warehouse: Warehouse) {}

  /** A dataset has loaded (or made its empty tables): its variables, then every raw table there is now. */
  async loaded(sources: LoadedSource[]): Promise<void> {
    for (const source of sources) {
      if (!source.variables) continue;
      await this.warehouse.setVariables(source.variables);
      for (const name of Object.keys(source.variables)) this.variables.add(name);
    }
    // The datasets load one after another: a raw table there now is complete, or will be once
    // its INSERTs in the background are done (a failed one is thrown by loadAll).
    for (const table of (await this.warehouse.runTables()).filter((t) => t.startsWith('raw_'))) {
      const loading = this.warehouse.loadsOf(table);
      if (!loading) this.tables.add(table);
      else
        loading.then(
          () => {
            this.tables.add(table);
            this.wake();
          },
          () => undefined,
        );
    }
    this.wake();
  }

  /** Loading has ended: every waiting model starts (or, after a failed load, fails with its error). */
  end(error?: unknown): void {
    this.ended = { error };
    this.wake();
  }

  ready(model: Model): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ model, resolve, reject });
      this.wake();
    });
  }

  private wake(): void {
    for (const w of [...this.waiting]) {
      const { rawTables, variables } = w.model.inputs;
      const here = rawTables.every((t) => this.tables.has(t)) && variables.every((v) => this.variables.has(v));
      if (!here && !this.ended) continue;
      this.waiting.splice(this.waiting.indexOf(w), 1);
      if (this.ended?.error !== undefined && !here) w.reject(this.ended.error);
      else w.resolve();
    }
  }
}
