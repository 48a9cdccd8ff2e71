import { describe, expect, it } from 'vitest';
import { segmentMap } from '../../../../../steps/lib/metrics/map-candidates.js';

describe('segmentMap', () => {
  // 6 × 4 map. Above 5: an L-shaped island {(0,0)=6, (1,0)=9, (1,1)=7} (diagonal (2,2)=8 joins it
  // through 8-connectivity), a single pixel (5,0)=5.5, and (4,3)=NaN which never counts.
  const map = [
    6,
    9,
    0,
    0,
    0,
    5.5, //
    0,
    7,
    0,
    0,
    0,
    0, //
    0,
    0,
    8,
    0,
    0,
    0, //
    0,
    0,
    0,
    0,
    Number.NaN,
    5,
  ];

  it('labels 8-connected islands above the threshold, one candidate at each peak', () => {
    const s = segmentMap(map, 6, 4, 5);
    expect(s.candidates).toEqual([
      { x: 1, y: 0, score: 9, area: 4, label: 1 },
      { x: 5, y: 0, score: 5.5, area: 1, label: 2 },
    ]);
    // (5,3) equals the threshold: not above it.
    expect([...s.labels]).toEqual([1, 1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('drops components smaller than minArea and renumbers the rest', () => {
    const s = segmentMap(map, 6, 4, 5, { minArea: 2 });
    expect(s.candidates.map((c) => [c.label, c.area])).toEqual([[1, 4]]);
    expect(s.labels[5]).toBe(0);
  });

  it('breaks peak ties by raster order and checks the map size', () => {
    expect(segmentMap([1, 1], 2, 1, 0).candidates[0]).toMatchObject({ x: 0, y: 0 });
    expect(() => segmentMap([1, 2, 3], 2, 2, 0)).toThrow('map has 3 values, expected 2 × 2 = 4');
  });
});
