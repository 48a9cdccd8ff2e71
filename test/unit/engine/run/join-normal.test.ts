import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinNormal } from '../../../../engine/run/run-step.js';

describe('joinNormal', () => {
  it('gives what path.join gives, for any relative path (normal ones are only concatenated)', () => {
    const segment = fc.oneof(
      fc.constantFrom('', '.', '..', 'out.txt', 'a', '.hidden', 'a..b', 'sub dir', 'x\\y'),
      fc.string({ maxLength: 6 }),
    );
    const relPath = fc.array(segment, { maxLength: 5 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(relPath, (rel) => {
        expect(joinNormal('/cache/entries/ab/k/out', rel)).toBe(join('/cache/entries/ab/k/out', rel));
      }),
      { numRuns: 2000 },
    );
    expect(joinNormal('/o', 'a/../b')).toBe('/o/b');
  });
});
