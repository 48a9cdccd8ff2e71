/**
 * Canonical JSON and sha256 helpers: the byte-exact form that cache keys are hashed from.
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal values always give
 * equal bytes. `undefined` members are dropped (as `JSON.stringify` does); non-finite numbers
 * are rejected because JSON cannot represent them faithfully. Written as one string builder:
 * every step of a 10,000-step plan is keyed through it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') return jsonString(value);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new TypeError(`cannot hash the non-finite number ${value} in a cache key`);
      }
      return String(value); // what JSON.stringify writes for a finite number (-0 too: "0")
    }
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort orders by UTF-16 code units, as `<` does: the same order as before.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${jsonString(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** Printable ASCII without a quote or backslash: its JSON string is the text in quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify(text)`, skipping the call for the common case (ids, names, hashes, paths in
 * printable ASCII): written per step by the lock file and the JSON log.
 */
export function jsonString(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** `sha256` of a string or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  // One-shot `crypto.hash` (Node >= 20.12) skips the Hash object: keys are hashed per step.
  return oneShot === undefined
    ? createHash('sha256').update(data).digest('hex')
    : oneShot('sha256', data, 'hex');
}

const oneShot: ((algorithm: string, data: string | Uint8Array, encoding: 'hex') => string) | undefined = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }
).hash;

/** Content hashes carry their algorithm so the format can change without ambiguity. */
export const HASH_PREFIX = 'sha256:';
