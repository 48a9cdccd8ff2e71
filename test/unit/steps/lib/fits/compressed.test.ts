import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ditherSequence, FitsReader, readFitsImage } from '../../../../../steps/lib/fits/index.js';
import { differences, python, readFloat64File, temporaryFolder } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

/** Compressed HDUs astropy writes (name → what they exercise). */
const ASTROPY_CASES = [
  'F_RICE_D1', // float32, RICE_1, SUBTRACTIVE_DITHER_1 (astropy's default), NaN pixels
  'F_GZIP1',
  'F_GZIP2',
  'F_RICE_D2', // SUBTRACTIVE_DITHER_2: exact zeros kept
  'F_RICE_ND', // NO_DITHER
  'F_TILES', // 16×10 tiles, partial tiles at the edges
  'I16_RICE',
  'I16_GZIP1',
  'I32_RICE',
  'U8_RICE',
  'U16_RICE', // BZERO 32768 kept in the compressed header
] as const;

beforeAll(() => {
  python(
    `
import sys, numpy as np
from astropy.io import fits
d = sys.argv[1]
rng = np.random.default_rng(5)
shape = (37, 53)
f = rng.normal(100, 10, shape).astype(np.float32); f[3, 4] = np.nan; f[20, 50] = np.nan
z = f.copy(); z[5:8, 5:9] = 0
def c(data, name, **kw): return fits.CompImageHDU(data, name=name, **kw)
hdus = [fits.PrimaryHDU(),
  c(f, 'F_RICE_D1', compression_type='RICE_1'),
  c(f, 'F_GZIP1', compression_type='GZIP_1'),
  c(f, 'F_GZIP2', compression_type='GZIP_2'),
  c(z, 'F_RICE_D2', compression_type='RICE_1', quantize_method=2),
  c(f, 'F_RICE_ND', compression_type='RICE_1', quantize_method=-1),
  c(f, 'F_TILES', compression_type='RICE_1', tile_size=(10, 16)),
  c(rng.integers(-30000, 30000, shape).astype(np.int16), 'I16_RICE', compression_type='RICE_1'),
  c(rng.integers(-30000, 30000, shape).astype(np.int16), 'I16_GZIP1', compression_type='GZIP_1'),
  c(rng.integers(-2**31, 2**31, shape).astype(np.int32), 'I32_RICE', compression_type='RICE_1'),
  c(rng.integers(0, 256, shape).astype(np.uint8), 'U8_RICE', compression_type='RICE_1'),
  c(rng.integers(0, 65536, shape).astype(np.uint16), 'U16_RICE', compression_type='RICE_1'),
]
fits.HDUList(hdus).writeto(d + '/astropy.fits')
with fits.open(d + '/astropy.fits') as h:
    for x in h[1:]: np.asarray(x.data, np.float64).tofile(f'{d}/{x.name}.f64')
# Plain files for fpack.
fits.writeto(d + '/plain-f32.fits', (rng.normal(0, 50, (64, 70)) + 1000).astype(np.float32))
fits.writeto(d + '/plain-i16.fits', rng.integers(-2000, 2000, (64, 70)).astype(np.int16))
`,
    dir,
  );
  for (const name of ['plain-f32', 'plain-i16']) {
    execFileSync('fpack', ['-r', '-O', join(dir, `${name}.rice.fz`), join(dir, `${name}.fits`)]);
    execFileSync('fpack', ['-g', '-O', join(dir, `${name}.gzip.fz`), join(dir, `${name}.fits`)]);
  }
  python(
    `
import sys, numpy as np
from astropy.io import fits
d = sys.argv[1]
for n in ['plain-f32.rice', 'plain-f32.gzip', 'plain-i16.rice', 'plain-i16.gzip']:
    with fits.open(f'{d}/{n}.fz') as h: np.asarray(h[1].data, np.float64).tofile(f'{d}/{n}.f64')
`,
    dir,
  );
});

describe('tile-compressed images', () => {
  for (const name of ASTROPY_CASES) {
    it(`${name} (astropy CompImageHDU) decodes to astropy's values`, () => {
      const expected = readFloat64File(join(dir, `${name}.f64`));
      const { image } = readFitsImage(join(dir, 'astropy.fits'), { hdu: name });
      // Floats: astropy (cfitsio) dequantizes in double and stores float32; rounding ours to
      // float32 must give the same bits. Integers are exact.
      const ours = name.startsWith('F_') ? image.data.map(Math.fround) : image.data;
      expect([image.width, image.height]).toEqual([53, 37]);
      expect(differences(ours, expected)).toEqual([]);
    });
  }

  for (const name of ['plain-f32.rice', 'plain-f32.gzip', 'plain-i16.rice', 'plain-i16.gzip']) {
    it(`${name}.fz (fpack) decodes to the values astropy reads`, () => {
      const expected = readFloat64File(join(dir, `${name}.f64`));
      const { image, header } = readFitsImage(join(dir, `${name}.fz`));
      const ours = name.includes('f32') ? image.data.map(Math.fround) : image.data;
      expect(differences(ours, expected)).toEqual([]);
      expect(header.getInteger('BITPIX')).toBe(name.includes('f32') ? -32 : 16);
      expect(header.has('ZIMAGE')).toBe(false);
    });
  }

  it('reports compressed HDUs as compressed-image with the image axes in the header', () => {
    const reader = FitsReader.open(join(dir, 'astropy.fits'));
    try {
      const info = reader.hdu('F_TILES');
      expect(info.kind).toBe('compressed-image');
      expect(info.header.getInteger('ZNAXIS1')).toBe(53);
    } finally {
      reader.close();
    }
  });

  it('uses the dither sequence of the tiled-image convention (Park & Miller minimal standard)', () => {
    const r = ditherSequence();
    expect(r).toHaveLength(10000);
    // Park & Miller (1988): from seed 1 the 10,000th value of the generator is 1043618065; the
    // sequence is kept in float32 as cfitsio keeps it, so allow float32 rounding of r = seed / m.
    expect(Math.abs(r[9999]! * 2147483647 - 1043618065)).toBeLessThan(2147483647 * 2 ** -24);
  });
});
