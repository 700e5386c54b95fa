/** Wait for every promise (so none is left running), then throw the first failure in their order. */
export async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Run at most `size` tasks at a time. A place set free goes to the waiting task of the highest
 * priority (default 0), the longest waiting first. (p-limit runs them in arrival order only.)
 */
export class PriorityLimit {
  private running = 0;
  private readonly waiting: { priority: number; start: () => void }[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    if (this.running >= this.size)
      await new Promise<void>((start) => {
        const at = this.waiting.findIndex((w) => w.priority < priority);
        this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { priority, start });
      });
    else this.running++;
    try {
      return await task();
    } finally {
      // The place passes straight to the next task (running stays the same), or is given back.
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running--;
    }
  }
}
