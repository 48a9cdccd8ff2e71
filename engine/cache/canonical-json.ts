/**
 * Canonical JSON and sha256 helpers: the byte-exact form that cache keys are hashed from.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal values always give
 * equal bytes. `undefined` members are dropped (as `JSON.stringify` does); non-finite numbers
 * are rejected because JSON cannot represent them faithfully.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`cannot hash the non-finite number ${value} in a cache key`);
    }
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** `sha256` of a string or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content hashes carry their algorithm so the format can change without ambiguity. */
export const HASH_PREFIX = 'sha256:';
