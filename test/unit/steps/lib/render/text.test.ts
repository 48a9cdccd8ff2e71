import { describe, expect, it } from 'vitest';
import { composeGrid } from '../../../../../steps/lib/render/compose.js';
import { drawText, textHeight, textWidth } from '../../../../../steps/lib/render/text.js';
import { createRgb, type RgbImage } from '../../../../../steps/lib/render/types.js';

/** The red channel as rows of '#' and '.', for readable glyph assertions. */
function ascii(image: RgbImage): string[] {
  const rows: string[] = [];
  for (let y = 0; y < image.height; y++) {
    let row = '';
    for (let x = 0; x < image.width; x++) row += image.data[3 * (y * image.width + x)] ? '#' : '.';
    rows.push(row);
  }
  return rows;
}

describe('bitmap text', () => {
  it('draws glyphs in a 3×5 cell with one pixel between them, lower case as upper', () => {
    const image = createRgb(textWidth('t1'), textHeight());
    drawText(image, 0, 0, 't1', [255, 0, 0]);
    expect(ascii(image)).toEqual(['###..#.', '.#..##.', '.#...#.', '.#...#.', '.#..###']);
  });

  it('scales font pixels and clips at the edges', () => {
    const image = createRgb(4, 4);
    drawText(image, -2, 0, 'L', [255, 0, 0], 2);
    // "L" at scale 2 shifted left by 2: only its vertical bar's right half... which is off-image; the
    // image shows nothing of column 0 of the glyph, and the rows 0..3 of columns 1..2 are empty.
    expect(ascii(image)).toEqual(['....', '....', '....', '....']);
    drawText(image, 0, 0, 'L', [255, 0, 0], 2);
    expect(ascii(image)).toEqual(['##..', '##..', '##..', '##..']);
    expect(() => drawText(image, 0, 0, 'x', [1, 1, 1], 0)).toThrow(/positive integer/);
  });

  it('a labelled grid puts a caption band above each tile', () => {
    const tile = createRgb(12, 4, [0, 0, 255]);
    const grid = composeGrid([tile, tile], {
      columns: 2,
      gap: 1,
      labels: ['IN', ''],
      labelColor: [255, 0, 0],
      background: [0, 0, 0],
    });
    expect([grid.width, grid.height]).toEqual([2 * 12 + 3, 1 + 5 + 2 + 4 + 1]);
    const rows = ascii(grid);
    // "IN" is 7 px wide, centred in the 12-px cell starting at x = 1: x = 1 + 2 = 3.
    expect(rows[1]!.slice(3, 10)).toBe('###.##.');
    expect(rows[1]!.slice(14)).toBe('.............'); // second tile has no caption
    expect(grid.data[3 * (8 * grid.width + 1) + 2]).toBe(255); // tile starts below the band
  });
});
