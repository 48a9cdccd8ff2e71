/** A p-queue that bounds both concurrency and request rate, for one remote service. */
import PQueue from 'p-queue';

export interface RateLimitOptions {
  /** Requests per second, at most (may be fractional: 0.5 = one every 2 s). */
  readonly requestsPerSecond: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/**
 * A queue starting at most one request every 1/r seconds (intervalCap 1 over 1000/r ms, so
 * starts are spread evenly rather than bursting r at the top of each second) and at most
 * `concurrency` at once. Returns a scheduler for `fetchWithRetry`'s `schedule` option.
 */
export function createRateLimitedQueue(options: RateLimitOptions): {
  readonly queue: PQueue;
  readonly schedule: <T>(task: () => Promise<T>) => Promise<T>;
} {
  const { requestsPerSecond, concurrency } = options;
  if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
    throw new RangeError(
      `Expected \`requestsPerSecond\` to be a positive finite number, got \`${requestsPerSecond}\``,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Expected \`concurrency\` to be an integer from 1 and up, got \`${concurrency}\``);
  }
  const queue = new PQueue({ concurrency, intervalCap: 1, interval: 1000 / requestsPerSecond });
  return { queue, schedule: (task) => queue.add(task) };
}
