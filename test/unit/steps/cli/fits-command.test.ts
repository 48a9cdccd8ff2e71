import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { fitsCommand } from '../../../../steps/cli/fits-command.js';
import type { HduSummary } from '../../../../steps/cli/fits-info.js';
import { python, SHARED_DATA, temporaryFolder, thrown } from '../lib/fits/helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

const GMOS = join(SHARED_DATA, 'gmos-cosmic-rays', 'gmos.fits');

/** Run `asterism fits ...` in-process and capture stdout. */
async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const code = await fitsCommand.run(argv, { stdout, stderr: stdout, cwd: dir });
  return { code, out };
}

describe('asterism fits info', () => {
  it('--json lists every HDU with type, BITPIX, axes and statistics equal to numpy', async () => {
    const { code, out } = await run('info', GMOS, '--json');
    expect(code).toBe(0);
    const { hdus } = JSON.parse(out) as { hdus: HduSummary[] };
    expect(hdus.map((h) => [h.index, h.extname, h.type, h.bitpix, h.axes])).toEqual([
      [0, null, 'image', 8, []],
      [1, 'SCI', 'image', -32, [200, 150]],
      [2, 'VAR', 'image', -32, [200, 150]],
      [3, 'SKYFIT', 'image', -32, [200, 150]],
    ]);
    const numpy = JSON.parse(
      python(
        `
import sys, json, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as f:
    print(json.dumps([{'min': float(np.nanmin(d)), 'max': float(np.nanmax(d)), 'mean': float(np.nanmean(d)), 'std': float(np.nanstd(d)), 'nan': int(np.isnan(d).sum())}
                      for d in (f[i].data.astype(np.float64) for i in (1, 2, 3))]))
`,
        GMOS,
      ),
    ) as { min: number; max: number; mean: number; std: number; nan: number }[];
    for (const [k, stats] of numpy.entries()) {
      const ours = hdus[k + 1]!.stats!;
      expect([ours.min, ours.max, ours.nan]).toEqual([stats.min, stats.max, stats.nan]);
      // Sums over 30,000 values in a different order: agree to ~1e-12 relative.
      expect(ours.mean).toBeCloseTo(stats.mean, 9);
      expect(ours.std).toBeCloseTo(stats.std, 9);
    }
  });

  it('reports compressed images with the image BITPIX and axes, and tables with their columns', async () => {
    const path = join(dir, 'mixed.fits');
    python(
      `
import sys, numpy as np
from astropy.io import fits
img = np.arange(12 * 10, dtype=np.float32).reshape(10, 12); img[2, 3] = np.nan
tab = fits.BinTableHDU.from_columns([fits.Column('x', 'D', array=[1.0, 2.0], unit='pix'), fits.Column('id', 'J', array=[3, 4])], name='CAT')
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(img, name='SCI', compression_type='GZIP_1', quantize_level=0), tab]).writeto(sys.argv[1])
`,
      path,
    );
    const { hdus } = JSON.parse((await run('info', path, '--json')).out) as { hdus: HduSummary[] };
    expect(hdus[1]).toEqual({
      index: 1,
      extname: 'SCI',
      type: 'compressed-image',
      bitpix: -32,
      axes: [12, 10],
      // 0..119 without pixel 27 (NaN): numpy's nanmean and nanstd give these.
      stats: {
        min: 0,
        max: 119,
        mean: expect.closeTo(59.7731092437, 9),
        std: expect.closeTo(34.6561590619, 9),
        nan: 1,
      },
    });
    expect(hdus[2]).toEqual({
      index: 2,
      extname: 'CAT',
      type: 'bintable',
      bitpix: 8,
      axes: [12, 2],
      rows: 2,
      columns: [
        { name: 'x', format: 'D', unit: 'pix' },
        { name: 'id', format: 'J', unit: null },
      ],
    });
  });

  it('prints a table, and the header cards with --header', async () => {
    const table = await run('info', GMOS);
    expect(table.out.split('\n')[1]).toMatch(/^HDU\s+EXTNAME\s+TYPE\s+BITPIX\s+AXES\s+CONTENT$/);
    expect(table.out).toMatch(/1 +SCI +image +-32 +200×150 +min /);
    const header = await run('info', GMOS, '--header', '--hdu', 'VAR');
    expect(header.out.split('\n').slice(0, 3)).toEqual([
      '# HDU 2 (VAR)',
      "XTENSION= 'IMAGE   '           / Image extension",
      'BITPIX  =                  -32 / array data type',
    ]);
    expect(header.out.trimEnd().endsWith('END')).toBe(true);
  });

  it('reports bad usage and bad files as user errors', async () => {
    await expect(run('info')).rejects.toThrow(/missing FILE/);
    await expect(run('show', GMOS)).rejects.toThrow(/unknown subcommand `show`/);
    const error = await run('info', join(dir, 'absent.fits')).catch((e: unknown) => e);
    expect(
      thrown(() => {
        throw error;
      }, dir),
    ).toMatchInlineSnapshot(`"AsterismError: <dir>/absent.fits: cannot open the file (ENOENT)"`);
  });
});

describe('asterism fits preview', () => {
  it('writes a PNG of the chosen HDU with the image size', async () => {
    for (const stretch of ['zscale', 'asinh', 'linear']) {
      const { code } = await run(
        'preview',
        GMOS,
        '--hdu',
        'SCI',
        '-o',
        `sci-${stretch}.png`,
        '--stretch',
        stretch,
      );
      expect(code).toBe(0);
      const size = python(
        `
import sys
from PIL import Image
im = Image.open(sys.argv[1]); print(im.size[0], im.size[1], im.mode)
`,
        join(dir, `sci-${stretch}.png`),
      );
      expect(size.trim()).toBe('200 150 RGB');
    }
    await expect(run('preview', GMOS, '-o', 'x.png', '--stretch', 'log')).rejects.toThrow(
      /--stretch must be one of zscale, asinh, linear/,
    );
  });
});
