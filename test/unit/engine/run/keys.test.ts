import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../engine/cache/canonical-json.js';
import { materialJson } from '../../../../engine/run/keys.js';

const material = fc.record({
  format: fc.integer({ min: 0, max: 9 }),
  uses: fc.string(),
  version: fc.string(),
  code: fc.string(),
  params: fc.jsonValue(),
  seed: fc.nat({ max: 2 ** 32 - 1 }),
});

describe('materialJson', () => {
  it('is exactly canonicalJson of the key material (cache keys are hashed from it)', () => {
    fc.assert(
      fc.property(material, (m) => {
        expect(materialJson(m)).toBe(canonicalJson(m));
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact when the text around the params is kept per step definition', () => {
    // Few owners, many materials: an owner's kept text must never leak into another material.
    const owners = [{}, {}, {}];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), material), { maxLength: 20 }), (draws) => {
        for (const [owner, m] of draws) expect(materialJson(m, owners[owner])).toBe(canonicalJson(m));
      }),
      { numRuns: 300 },
    );
  });
});
