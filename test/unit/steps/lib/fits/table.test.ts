import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFitsTable, tableColumn, writeFits } from '../../../../../steps/lib/fits/index.js';
import { fitsverify, python, temporaryFolder } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

/** A table's columns as plain JSON lists, the way astropy reads them. */
function astropyColumns(path: string, hdu: number): Record<string, unknown[]> {
  const out = python(
    `
import sys, json, warnings, numpy as np
from astropy.io import fits
warnings.simplefilter('error')
with fits.open(sys.argv[1], checksum=True) as f:
    t = f[int(sys.argv[2])]
    cols = {}
    for c in t.columns:
        v = t.data[c.name]
        cols[c.name] = [x.tolist() if hasattr(x, 'tolist') else x for x in v]
        cols[c.name] = [(None if isinstance(x, float) and x != x else x) for x in cols[c.name]]
    cols['__units'] = [c.unit for c in t.columns]
    print(json.dumps(cols))
`,
    path,
    String(hdu),
  );
  return JSON.parse(out) as Record<string, unknown[]>;
}

/** Our column values in the same JSON shape (arrays per row for fixed-size arrays, NaN as null). */
function ours(path: string, hdu: number): Record<string, unknown[]> {
  const table = readFitsTable(path, { hdu });
  const out: Record<string, unknown[]> = {};
  for (const column of table.columns) {
    const flat = Array.from(column.values as ArrayLike<unknown>, (v) =>
      typeof v === 'bigint' ? Number(v) : typeof v === 'number' && Number.isNaN(v) ? null : v,
    );
    out[column.name] =
      column.repeat === 1
        ? flat
        : Array.from({ length: table.rows }, (_, r) =>
            flat.slice(r * column.repeat, (r + 1) * column.repeat),
          );
  }
  out.__units = table.columns.map((c) => c.unit ?? '');
  return out;
}

describe('binary tables', () => {
  it('reads every common column type astropy writes (L B I J K E D A, arrays, TSCAL/TZERO, unsigned)', () => {
    const path = join(dir, 'astropy-table.fits');
    python(
      `
import sys, numpy as np
from astropy.io import fits
n = 6
rng = np.random.default_rng(9)
cols = [
  fits.Column('flag', 'L', array=np.array([True, False, True, True, False, True])),
  fits.Column('byte', 'B', array=rng.integers(0, 256, n)),
  fits.Column('short', 'I', array=rng.integers(-3000, 3000, n), unit='adu'),
  fits.Column('int', 'J', array=rng.integers(-2**31, 2**31, n)),
  fits.Column('long', 'K', array=rng.integers(-2**50, 2**50, n)),
  fits.Column('ra', 'D', array=rng.uniform(0, 360, n), unit='deg'),
  fits.Column('flux', 'E', array=np.array([1.5, np.nan, -2.25, 3e10, 0, 7], np.float32)),
  fits.Column('name', '12A', array=['alpha', 'beta gamma', '', 'd', 'epsilon-12ch', 'z']),
  fits.Column('vec', '3E', array=rng.normal(0, 1, (n, 3)).astype(np.float32)),
  fits.Column('scaled', 'I', array=np.arange(n, dtype=np.int16) - 3),
  fits.Column('u16', 'I', array=np.array([0, 1, 40000, 65535, 2, 3], np.uint16), bzero=32768),
]
fits.BinTableHDU.from_columns(cols, name='CAT').writeto(sys.argv[1])
# Scale the stored integers afterwards, so the file holds TSCAL/TZERO over raw values.
with fits.open(sys.argv[1], mode='update') as f:
    f[1].header['TSCAL10'] = 0.5
    f[1].header['TZERO10'] = 10.0
`,
      path,
    );
    const expected = astropyColumns(path, 1);
    const actual = ours(path, 1);
    for (const name of Object.keys(expected)) {
      if (name === '__units') continue;
      // float32 values come through JSON as the same doubles on both sides; exact comparison.
      expect(actual[name], name).toEqual(expected[name]);
    }
    expect(actual.__units).toEqual((expected.__units as (string | null)[]).map((u) => u ?? ''));
    const table = readFitsTable(path);
    expect(table.extname).toBe('CAT');
    expect(tableColumn(table, 'U16').values).toBeInstanceOf(Uint16Array);
  });

  it('writes tables that fitsverify passes and astropy reads back identically', () => {
    const path = join(dir, 'ours-table.fits');
    writeFits(path, [
      {
        type: 'bintable',
        extname: 'SOURCES',
        columns: [
          { name: 'x', values: Float64Array.of(1.25, 2.5, 3.75), unit: 'pix' },
          { name: 'peak', values: Float32Array.of(10.5, Number.NaN, -3) },
          { name: 'id', values: Int32Array.of(7, 8, 9) },
          { name: 'npix', values: Int16Array.of(-1, 0, 1) },
          { name: 'big', values: BigInt64Array.of(2n ** 40n, -5n, 0n) },
          { name: 'mask', values: Uint8Array.of(0, 1, 255) },
          { name: 'u16', values: Uint16Array.of(0, 40000, 65535) },
          { name: 'label', values: ['real', 'bogus', 'cosmic-ray'] },
          { name: 'real', values: [true, false, true] },
          { name: 'stamp', values: Float64Array.of(1, 2, 3, 4, 5, 6), repeat: 2 },
        ],
      },
    ]);
    const verdict = fitsverify(path);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: 0, warnings: 0 });
    const theirs = astropyColumns(path, 1);
    expect(theirs).toEqual({
      x: [1.25, 2.5, 3.75],
      peak: [10.5, null, -3],
      id: [7, 8, 9],
      npix: [-1, 0, 1],
      big: [2 ** 40, -5, 0],
      mask: [0, 1, 255],
      u16: [0, 40000, 65535],
      label: ['real', 'bogus', 'cosmic-ray'],
      real: [true, false, true],
      stamp: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      __units: ['pix', null, null, null, null, null, null, null, null, null],
    });
    expect(ours(path, 1)).toEqual({ ...theirs, __units: ['pix', '', '', '', '', '', '', '', '', ''] });
  });
});
