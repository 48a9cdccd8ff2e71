/**
 * Walking a `params.` reference through its fields and bracket indexes,
 * `params.profiles[params.profile].epochs`. Pure: the caller resolves bracket keys (they may be
 * other references) and turns a returned problem into a located recipe problem.
 */
import type { JsonValue } from '../graph/types.js';
import { didYouMean } from './did-you-mean.js';
import { type Expression, type PathSegment, referenceText } from './expression.js';

/** A problem found while walking, without its location. */
export interface PathProblem {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/** The value of a bracket key, a problem, or `undefined` when the caller already reported one. */
export type KeyResolver = (key: Expression) => string | number | PathProblem | undefined;

/** The value of the walk, a problem, or `undefined` when a key problem was already reported. */
export type WalkResult = { readonly value: JsonValue } | PathProblem | undefined;

/**
 * Follow `segments` (the reference without its leading `params`) from the recipe params.
 * `where` ends every message, e.g. "in `${{ params.a }}`".
 */
export function walkParams(
  params: Readonly<Record<string, JsonValue>>,
  segments: readonly PathSegment[],
  where: string,
  resolveKey: KeyResolver,
): WalkResult {
  let value: JsonValue = params as Record<string, JsonValue>;
  for (const [position, segment] of segments.entries()) {
    const walked = referenceText(['params', ...segments.slice(0, position)]);
    if (typeof segment === 'string') {
      const found = lookup(value, segment);
      if (found !== undefined) {
        value = found;
        continue;
      }
      const first = segments[0];
      if (position === 0) {
        return {
          code: 'UNKNOWN_PARAM',
          message: `unknown recipe param \`${segment}\` ${where}`,
          hint: didYouMean(segment, Object.keys(params)) || 'declare it under `params:`',
        };
      }
      return {
        code: 'UNKNOWN_PARAM',
        message: `param \`${typeof first === 'string' ? first : walked}\` has no field \`${segment}\` ${where}`,
        hint: 'check the value under `params:`',
      };
    }
    const key = resolveKey(segment.index);
    if (key === undefined || typeof key === 'object') return key;
    const found = lookup(value, key);
    if (found === undefined) return missingKey(value, key, segment.index, walked, where);
    value = found;
  }
  return { value };
}

/** An own field of a mapping or an in-range item of a list; never a prototype property. */
function lookup(container: JsonValue, key: string | number): JsonValue | undefined {
  if (Array.isArray(container)) {
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < container.length
      ? container[key]
      : undefined;
  }
  if (typeof container !== 'object' || container === null) return undefined;
  const name = String(key);
  return Object.hasOwn(container, name) ? (container as Record<string, JsonValue>)[name] : undefined;
}

/** Explain a bracket key that names nothing: list what would have worked. */
function missingKey(
  container: JsonValue,
  key: string | number,
  index: Expression,
  walked: string,
  where: string,
): PathProblem {
  // Name the key after the param that chose it, so `--set profile=fast` reads "profile `fast`".
  const last = index.kind === 'ref' ? index.path.at(-1) : undefined;
  const label = typeof last === 'string' ? last : typeof key === 'number' ? 'index' : 'key';
  if (Array.isArray(container)) {
    return {
      code: 'UNKNOWN_KEY',
      message:
        typeof key === 'number'
          ? `${label} ${key} is out of range: \`${walked}\` has ${container.length} items ${where}`
          : `${label} \`${key}\` cannot index the list \`${walked}\` (it needs a number) ${where}`,
      hint: `use a whole number from 0 to ${container.length - 1}`,
    };
  }
  if (typeof container !== 'object' || container === null) {
    return {
      code: 'UNKNOWN_KEY',
      message: `\`${walked}\` is ${JSON.stringify(container)}, not a mapping or a list, so it has no ${label} \`${key}\` ${where}`,
      hint: 'index only a mapping (`profiles: { quick: ..., full: ... }`) or a list',
    };
  }
  const keys = Object.keys(container);
  const setter =
    index.kind === 'ref' && index.path.length === 2 && index.path[0] === 'params' && typeof last === 'string'
      ? `set \`${last}\` to one of them (\`--set ${last}=${keys[0] ?? 'KEY'}\`), or add \`${key}\` under \`${walked}\``
      : `add \`${key}\` under \`${walked}\``;
  const guess = didYouMean(String(key), keys);
  return {
    code: 'UNKNOWN_KEY',
    message:
      keys.length === 0
        ? `${label} \`${key}\` is not a key of \`${walked}\`, which is empty ${where}`
        : `${label} \`${key}\` is not one of: ${keys.join(', ')} (the keys of \`${walked}\`) ${where}`,
    hint: guess === '' ? setter : `${guess} Or ${setter}`,
  };
}
