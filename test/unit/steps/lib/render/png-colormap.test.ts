import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { colorize, colormapTable } from '../../../../../steps/lib/render/colormap.js';
import { composeGrid, scaleNearest } from '../../../../../steps/lib/render/compose.js';
import { drawCircle, drawCross, drawRect } from '../../../../../steps/lib/render/draw.js';
import { encodePng, writePng } from '../../../../../steps/lib/render/png.js';
import { renderImage } from '../../../../../steps/lib/render/preview.js';
import { createRgb } from '../../../../../steps/lib/render/types.js';
import { runPython } from '../image/python-reference.js';

describe('colormaps', () => {
  it("viridis is within 3/255 of matplotlib's table on every entry", () => {
    const ref = runPython(
      `from matplotlib import colormaps\nsave('t', np.round(colormaps['viridis'](np.arange(256))[:, :3] * 255))`,
      {},
      ['t'],
    );
    const ours = colormapTable('viridis');
    let worst = 0;
    for (let i = 0; i < 768; i++) worst = Math.max(worst, Math.abs(ours[i]! - ref.t![i]!));
    // 33 anchor points with linear interpolation: the documented bound.
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('maps 0, 1 and NaN to the ends and the bad colour, and flips rows on request', () => {
    const image = { width: 1, height: 3, data: Float64Array.from([0, 1, Number.NaN]) };
    const rgb = colorize(image, { colormap: 'grey' });
    expect(Array.from(rgb.data)).toEqual([0, 0, 0, 255, 255, 255, 255, 0, 255]);
    const flipped = colorize(image, { colormap: 'grey', flipY: true, bad: [1, 2, 3] });
    expect(Array.from(flipped.data)).toEqual([1, 2, 3, 255, 255, 255, 0, 0, 0]);
  });
});

describe('PNG', () => {
  it('decodes (pngjs) to the pixels written, as 8-bit RGB', () => {
    const image = createRgb(5, 3, [10, 20, 30]);
    image.data.set([255, 0, 128], 3 * (1 * 5 + 4));
    const png = PNG.sync.read(encodePng(image));
    expect([png.width, png.height]).toEqual([5, 3]);
    for (let i = 0; i < 15; i++) {
      const expected = i === 9 ? [255, 0, 128, 255] : [10, 20, 30, 255];
      expect(Array.from(png.data.subarray(4 * i, 4 * i + 4))).toEqual(expected);
    }
  });

  it('writes a file that Pillow reads as the same RGB array', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asterism-png-'));
    try {
      const rendered = renderImage(
        { width: 4, height: 2, data: Float64Array.from([0, 1, 2, 3, 4, 5, 6, Number.NaN]) },
        {
          interval: { kind: 'manual', vmin: 0, vmax: 6 },
        },
      );
      const path = join(dir, 'preview.png');
      writePng(path, rendered);
      const ref = runPython(
        `from PIL import Image\nim = Image.open(${JSON.stringify(path)})\nsave('mode', [im.mode == 'RGB'])\nsave('px', np.asarray(im))`,
        {},
        ['mode', 'px'],
      );
      expect(ref.mode![0]).toBe(1);
      expect(Array.from(ref.px!)).toEqual(Array.from(rendered.data));
      expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('drawing and composing', () => {
  it('a circle passes through the four compass points and leaves the centre alone', () => {
    const image = createRgb(21, 21);
    drawCircle(image, 10, 10, 6, [255, 0, 0]);
    const at = (x: number, y: number): number => image.data[3 * (y * 21 + x)]!;
    expect([at(16, 10), at(4, 10), at(10, 16), at(10, 4)]).toEqual([255, 255, 255, 255]);
    expect(at(10, 10)).toBe(0);
    expect(at(14, 14)).toBe(255); // 5.66 px from the centre: within half a pixel of the ring
    drawCross(image, 0, 0, 2, [0, 255, 0]);
    drawRect(image, 18, 18, 25, 25, [0, 0, 255]);
    expect(image.data[3 * (0 * 21 + 2) + 1]).toBe(255);
    expect(image.data[3 * (20 * 21 + 18) + 2]).toBe(255);
  });

  it('composes a grid with gaps, centring smaller tiles, and enlarges tiles', () => {
    const red = createRgb(2, 2, [255, 0, 0]);
    const blue = createRgb(1, 1, [0, 0, 255]);
    const grid = composeGrid([red, blue, red], { columns: 2, gap: 1, background: [9, 9, 9] });
    expect([grid.width, grid.height]).toEqual([2 * 2 + 3, 2 * 2 + 3]);
    const at = (x: number, y: number): number[] =>
      Array.from(grid.data.subarray(3 * (y * grid.width + x), 3 * (y * grid.width + x) + 3));
    expect(at(0, 0)).toEqual([9, 9, 9]);
    expect(at(1, 1)).toEqual([255, 0, 0]);
    expect(at(4, 1)).toEqual([0, 0, 255]); // the 1×1 tile at the centre (floor) of its 2×2 cell
    expect(at(5, 2)).toEqual([9, 9, 9]);
    expect(at(2, 5)).toEqual([255, 0, 0]);
    expect(at(5, 5)).toEqual([9, 9, 9]); // the empty fourth cell
    const big = scaleNearest(blue, 3);
    expect([big.width, big.height, big.data[3 * 8 + 2]]).toEqual([3, 3, 255]);
    expect(() => composeGrid([])).toThrow(/no tiles/);
  });
});
