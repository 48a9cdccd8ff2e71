/** Waiting for a batch of tasks without leaving any running behind. */

/**
 * Like `Promise.all`, but waits for every task to settle before rethrowing the first rejection,
 * so no request is still writing files after the step has failed (or been aborted).
 */
export async function allSettledOrThrow<T>(tasks: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const rejected = results.find((r) => r.status === 'rejected');
  if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
