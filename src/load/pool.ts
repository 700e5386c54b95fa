// Connections of one warehouse lent out to work, the highest priority first (DuckDB runs each
// query of a connection on its threads; the models, checks and files run side by side).
import { availableParallelism } from 'node:os';
import { PriorityLimit } from '../promises.js';
import type { Warehouse } from './warehouse.js';

/** ConnectionPool.use priority of work that the rest waits for (the models and checks, before the publish's writes). */
export const PRIORITY_FIRST = Number.MAX_SAFE_INTEGER;

/**
 * Connections of one warehouse lent to work one at a time, the highest priority first:
 * independent work (models, checks, published tables' files) runs side by side, one DuckDB
 * thread each.
 */
export class ConnectionPool {
  private readonly limit: PriorityLimit;

  private constructor(
    private readonly idle: Warehouse[],
    private readonly extra: Warehouse[],
  ) {
    this.limit = new PriorityLimit(idle.length);
  }

  /**
   * Default size: one connection per core. `warehouse` is one of them, unless `ownConnections`
   * (the caller goes on using `warehouse` while the pool's work runs).
   */
  static async open(warehouse: Warehouse, size = availableParallelism(), { ownConnections = false } = {}): Promise<ConnectionPool> {
    const extra: Warehouse[] = [];
    for (let i = ownConnections ? 0 : 1; i < size; i++) extra.push(await warehouse.connect());
    return new ConnectionPool(ownConnections ? [...extra] : [warehouse, ...extra], extra);
  }

  /** Run `work` on a free connection; the next one free goes to the waiting work of the highest priority (default 0). */
  use<T>(work: (w: Warehouse) => Promise<T>, priority = 0): Promise<T> {
    return this.limit.run(async () => {
      const w = this.idle.pop()!;
      try {
        return await work(w);
      } finally {
        this.idle.push(w);
      }
    }, priority);
  }

  close(): void {
    for (const w of this.extra) w.close();
  }
}
