import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../../../engine/recipe/did-you-mean.js';
import { parseDuration } from '../../../../engine/recipe/duration.js';

describe('nearest', () => {
  it('suggests the closest name, including transpositions', () => {
    expect(nearest('diferrence', ['difference', 'simulate-sky', 'train-unet'])).toBe('difference');
    expect(nearest('mkae', ['make', 'combine'])).toBe('make');
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('suggests nothing when nothing is close', () => {
    expect(nearest('zzzzzz', ['difference', 'make'])).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('reads units and compounds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration(2)).toBe(2000);
  });
  it('rejects malformed durations', () => {
    expect(parseDuration('3x')).toBeUndefined();
    expect(parseDuration('m')).toBeUndefined();
    expect(parseDuration(0)).toBeUndefined();
  });
});
