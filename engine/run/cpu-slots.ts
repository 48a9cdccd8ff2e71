/**
 * CPU slots with weights: a step that claims `resources.cpu: k` holds k of the run's `--jobs`
 * slots while it runs, so two `cpu: 2` steps under `--jobs 2` never overlap.
 *
 * Why not p-queue (which the engine used for this before, and which `steps/lib/http` still uses
 * for rate limits): its `concurrency` counts tasks, not weights. Holding k slots for one task
 * would need k tasks started together, and while a heavy step waited for k free slots it would
 * already sit on some of them (deadlock between two heavy steps) or be starved by a stream of
 * light ones. A weighted semaphore with a strict first-come, first-served queue has neither
 * problem: a waiting heavy step blocks later arrivals until it fits, so it cannot starve, at the
 * price of leaving a slot idle while it waits for the second one.
 */

interface Waiter {
  readonly weight: number;
  /** Set when its signal aborted: skipped by `#drain` (no O(n) removal from a 10,000-long queue). */
  cancelled: boolean;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
}

/** `capacity` CPU slots handed out by weight, first come first served. */
export class CpuSlots {
  readonly capacity: number;
  #free: number;
  /** FIFO queue: `#waiters[#head]` is the oldest waiter not yet served or cancelled. */
  #waiters: Waiter[] = [];
  #head = 0;
  /**
   * Signals with an abort listener. One listener per signal, not per waiter: a 100,000-step
   * run queues 100,000 waiters on the run's one signal, and EventTarget finds a listener to
   * remove by walking its list (quadratic: the 100,000-step run slowed down sixfold).
   */
  readonly #signals = new WeakSet<AbortSignal>();

  /** @param capacity the run's `--jobs` (an integer from 1 up). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Expected \`capacity\` to be an integer from 1 and up, got \`${capacity}\``);
    }
    this.capacity = capacity;
    this.#free = capacity;
  }

  /**
   * The slots a claim of `cpu` takes: rounded up to whole slots, at least 1 and at most
   * `capacity` (a claim larger than the machine runs alone rather than never).
   */
  weightOf(cpu: number): number {
    return Math.min(this.capacity, Math.max(1, Math.ceil(cpu)));
  }

  /** Slots free now (for tests and diagnostics). */
  get free(): number {
    return this.#free;
  }

  /**
   * Wait until `weight` slots are free and every earlier waiter has been served, then hold them
   * until `release(weight)`. Rejects with the signal's reason if it aborts first (nothing held).
   */
  acquire(weight: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const need = this.#clamp(weight);
    if (this.#head === this.#waiters.length && this.#free >= need) {
      this.#free -= need;
      return Promise.resolve();
    }
    if (signal !== undefined && !this.#signals.has(signal)) {
      this.#signals.add(signal);
      signal.addEventListener('abort', () => this.#abortWaiters(signal), { once: true });
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ weight: need, cancelled: false, resolve, reject, signal });
    });
  }

  /** Reject every waiter of `signal` (nothing held), then serve those behind them. */
  #abortWaiters(signal: AbortSignal): void {
    for (let i = this.#head; i < this.#waiters.length; i++) {
      const waiter = this.#waiters[i]!;
      if (waiter.signal !== signal || waiter.cancelled) continue;
      waiter.cancelled = true;
      waiter.reject(signal.reason);
    }
    // An aborted waiter may have been the one holding back smaller ones behind it.
    this.#drain();
  }

  /** Give back `weight` slots taken by `acquire(weight)`. */
  release(weight: number): void {
    this.#free = Math.min(this.capacity, this.#free + this.#clamp(weight));
    this.#drain();
  }

  #clamp(weight: number): number {
    return this.weightOf(weight);
  }

  #drain(): void {
    while (this.#head < this.#waiters.length) {
      const head = this.#waiters[this.#head]!;
      if (!head.cancelled) {
        if (head.weight > this.#free) {
          this.#compact();
          return;
        }
        this.#free -= head.weight;
        head.resolve();
      }
      this.#head++;
    }
    this.#waiters = [];
    this.#head = 0;
  }

  /** Drop served entries from the front now and then, so a long run's queue does not grow. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
  }
}
