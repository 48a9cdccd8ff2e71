/**
 * Matrix expansion: `matrix: { direction: [tuf, psep], seed: [1, 2] }` fans a step out into one
 * instance per combination (first key varies slowest), named `traverse[direction=tuf,seed=1]`.
 */
import type { JsonValue } from './types.js';

/** One combination: key -> value. */
export type Combination = Readonly<Record<string, JsonValue>>;

/** Every combination of the axes, in order (first key slowest). */
export function expandMatrix(axes: Readonly<Record<string, readonly JsonValue[]>>): Combination[] {
  let combinations: Record<string, JsonValue>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    const next: Record<string, JsonValue>[] = [];
    for (const combination of combinations) {
      for (const value of values) next.push({ ...combination, [key]: value });
    }
    combinations = next;
  }
  return combinations;
}

/** `step[k=v,...]`; strings are written bare, other values as JSON. */
export function instanceId(stepId: string, combination: Combination | undefined): string {
  if (combination === undefined) return stepId;
  const parts = Object.entries(combination).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return `${stepId}[${parts.join(',')}]`;
}
