import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FitsReader,
  readFitsImage,
  readFitsRaw,
  readImageArray,
} from '../../../../../steps/lib/fits/index.js';
import { differences, python, readFloat64File, temporaryFolder } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

/** HDUs astropy writes, each with the physical values it reads back saved as float64. */
const CASES = [
  'u8',
  'i16',
  'i32',
  'i64',
  'f32',
  'f64',
  'u16',
  'u32',
  'i8',
  'scaled',
  'blank',
  'cube',
] as const;

beforeAll(() => {
  python(
    `
import sys, numpy as np
from astropy.io import fits
d = sys.argv[1]
rng = np.random.default_rng(3)
shape = (7, 11)
hdus = [fits.PrimaryHDU()]
def add(name, data, **kw):
    h = fits.ImageHDU(data, name=name.upper())
    for k, v in kw.items(): h.header[k] = v
    hdus.append(h)
add('u8', rng.integers(0, 256, shape).astype(np.uint8))
add('i16', rng.integers(-32768, 32768, shape).astype(np.int16))
add('i32', rng.integers(-2**31, 2**31, shape).astype(np.int32))
add('i64', rng.integers(-2**52, 2**52, shape).astype(np.int64))
f32 = rng.normal(0, 1e3, shape).astype(np.float32); f32[1, 2] = np.nan; f32[0, 0] = np.inf
add('f32', f32)
add('f64', rng.normal(0, 1e-3, shape))
add('u16', rng.integers(0, 65536, shape).astype(np.uint16))
add('u32', rng.integers(0, 2**32, shape).astype(np.uint32))
add('i8', rng.integers(-128, 128, shape).astype(np.int8))
s = fits.ImageHDU(rng.integers(-1000, 1000, shape).astype(np.int16), name='SCALED'); s.header['BSCALE'] = 0.25; s.header['BZERO'] = 100.5; hdus.append(s)
b = rng.integers(-1000, 1000, shape).astype(np.int16); b[3, 4] = -32768; b[6, 10] = -32768
bh = fits.ImageHDU(b, name='BLANK'); bh.header['BLANK'] = -32768; hdus.append(bh)
add('cube', rng.normal(0, 1, (3, 5, 4)).astype(np.float32))
fits.HDUList(hdus).writeto(d + '/all.fits')
with fits.open(d + '/all.fits') as f:
    for h in f[1:]:
        np.asarray(h.data, dtype=np.float64).tofile(d + '/' + h.name.lower() + '.f64')
`,
    dir,
  );
});

describe('reading images astropy wrote', () => {
  for (const name of CASES) {
    it(`${name}: every value equals astropy's (NaN where astropy has NaN)`, () => {
      const expected = readFloat64File(join(dir, `${name}.f64`));
      const reader = FitsReader.open(join(dir, 'all.fits'));
      try {
        const { data, axes } = readImageArray(reader, name.toUpperCase());
        expect(axes).toEqual(name === 'cube' ? [4, 5, 3] : [11, 7]);
        // Exact: both sides compute BZERO + BSCALE × stored in float64 (int64 values stay below 2^53).
        expect(differences(data, expected)).toEqual([]);
      } finally {
        reader.close();
      }
    });
  }

  it('reads one plane of a cube as an Image and refuses the cube without a plane', () => {
    const expected = readFloat64File(join(dir, 'cube.f64'));
    const { image } = readFitsImage(join(dir, 'all.fits'), { hdu: 'CUBE', plane: 2 });
    expect([image.width, image.height]).toEqual([4, 5]);
    expect(differences(image.data, expected.subarray(40, 60))).toEqual([]);
    expect(() => readFitsImage(join(dir, 'all.fits'), { hdu: 'cube' })).toThrow(
      /the data has 3 planes, not one image/,
    );
  });

  it('picks the first image HDU by default and gives its header', () => {
    const { hdu, extname, header, image } = readFitsImage(join(dir, 'all.fits'));
    expect([hdu, extname, image.width]).toEqual([1, 'U8', 11]);
    expect(header.getInteger('BITPIX')).toBe(8);
  });

  it('readFitsRaw gives the stored integers and the scaling, as astropy with do_not_scale_image_data', () => {
    const stored = JSON.parse(
      python(
        `
import sys, json
from astropy.io import fits
with fits.open(sys.argv[1], do_not_scale_image_data=True) as f: print(json.dumps(f['SCALED'].data.ravel().tolist()))
`,
        join(dir, 'all.fits'),
      ),
    ) as number[];
    const raw = readFitsRaw(join(dir, 'all.fits'), { hdu: 'SCALED' });
    expect(raw.data).toBeInstanceOf(Int16Array);
    expect(Array.from(raw.data as Int16Array)).toEqual(stored);
    expect([raw.bscale, raw.bzero, raw.axes]).toEqual([0.25, 100.5, [11, 7]]);
  });

  it('reads into a caller-provided array, and refuses one that is too small', () => {
    const expected = readFloat64File(join(dir, 'f64.f64'));
    const into = new Float64Array(100).fill(-1);
    const { image } = readFitsImage(join(dir, 'all.fits'), { hdu: 'F64', into });
    expect(image.data.buffer).toBe(into.buffer);
    expect(differences(image.data, expected)).toEqual([]);
    expect(into[77]).toBe(-1);
    expect(() => readFitsImage(join(dir, 'all.fits'), { hdu: 'F64', into: new Float64Array(10) })).toThrow(
      /the 'into' array holds 10 values but the image has 77/,
    );
  });
});
