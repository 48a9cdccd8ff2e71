/**
 * Cache keys are hashed from canonical JSON: its bytes must never change (every existing cache
 * entry and lock file depends on them). The reference here is the specification written out
 * plainly: keys sorted by UTF-16 code units at every depth, no whitespace, `undefined` members
 * dropped.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../../engine/cache/canonical-json.js';

function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('gives the reference bytes for any JSON value, including unicode and odd keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'é' }], B: null, '\u{1F600}': 2, '': 0 })).toBe(
      '{"":0,"B":null,"a":[{"c":"é"}],"b":1,"\u{1F600}":2}',
    );
  });

  it('rejects non-finite numbers', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('sha256Hex', () => {
  it('equals node:crypto createHash for strings and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array()), (data) => {
        expect(sha256Hex(data)).toBe(createHash('sha256').update(data).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});
