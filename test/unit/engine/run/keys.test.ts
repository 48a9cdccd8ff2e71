import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../engine/cache/canonical-json.js';
import { materialJson } from '../../../../engine/run/keys.js';

describe('materialJson', () => {
  it('is exactly canonicalJson of the key material (cache keys are hashed from it)', () => {
    fc.assert(
      fc.property(
        fc.record({
          format: fc.integer({ min: 0, max: 9 }),
          uses: fc.string(),
          version: fc.string(),
          code: fc.string(),
          params: fc.jsonValue(),
          seed: fc.nat({ max: 2 ** 32 - 1 }),
        }),
        (material) => {
          expect(materialJson(material)).toBe(canonicalJson(material));
        },
      ),
      { numRuns: 300 },
    );
  });
});
