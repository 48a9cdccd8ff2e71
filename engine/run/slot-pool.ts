/**
 * GPU slots: a fixed set of device indices handed out first come, first served, so a step knows
 * *which* GPU it holds (p-queue bounds how many run, but not which device each gets).
 */
export class SlotPool {
  readonly #free: number[];
  readonly #waiters: {
    resolve: (slot: number) => void;
    reject: (reason: unknown) => void;
    signal?: AbortSignal;
    onAbort: () => void;
  }[] = [];

  /** @param size number of slots, indices 0..size-1. */
  constructor(size: number) {
    this.#free = Array.from({ length: size }, (_, i) => i);
  }

  /** Wait for a free slot; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const slot = this.#free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        ...(signal === undefined ? {} : { signal }),
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  release(slot: number): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#free.push(slot);
      this.#free.sort((a, b) => a - b);
      return;
    }
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(slot);
  }
}
