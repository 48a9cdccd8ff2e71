import { describe, expect, it } from 'vitest';
import { Random } from '../../../../../steps/lib/random.js';
import { cutStamps, type FieldForStamps } from '../../../../../steps/lib/stamps/sample.js';

/** A 32 × 32 one-channel field whose input value is the pixel index; a real object and an artifact. */
function field(): FieldForStamps {
  const width = 32;
  const input = Float32Array.from({ length: width * width }, (_, i) => i);
  const target = new Uint8Array(width * width);
  target[8 * width + 8] = 1;
  target[24 * width + 24] = 2;
  return {
    field: 'f',
    width,
    height: width,
    channels: 1,
    input,
    target,
    objects: [
      { x: 8, y: 8, real: true },
      { x: 24, y: 24, real: false },
    ],
  };
}

describe('cutStamps', () => {
  it('cuts one stamp per object plus background by default, and extra stamps around artifacts on request', () => {
    const base = cutStamps(field(), { size: 8, backgroundPerField: 3, jitterPx: 2 }, new Random(1));
    expect(base).toHaveLength(2 + 3);
    const more = cutStamps(
      field(),
      { size: 8, backgroundPerField: 3, jitterPx: 2, stampsPerArtifact: 4 },
      new Random(1),
    );
    // 3 extra stamps for the one artifact, after the two object and three background stamps.
    expect(more).toHaveLength(2 + 3 + 3);
    // The default draws the same stamps as stampsPerArtifact: 1.
    expect(
      cutStamps(
        field(),
        { size: 8, backgroundPerField: 3, jitterPx: 2, stampsPerArtifact: 1 },
        new Random(1),
      ),
    ).toEqual(base);
    for (const stamp of more.slice(5)) {
      // Each extra stamp holds the artifact pixel (jitter 2 < half the stamp) and keeps its class.
      expect(stamp.target.filter((v) => v === 2)).toHaveLength(1);
      expect(stamp.target.some((v) => v === 1)).toBe(false);
      expect(stamp.input).toContain(24 * 32 + 24);
    }
  });
});
