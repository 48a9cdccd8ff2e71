/**
 * The native reader (native/src/fits_read.cc) and the pure-JS fallback, each against astropy on
 * images large enough for several blocks on two threads (1024 × 520 pixels: 5 blocks of 131072,
 * the last one partial), for every BITPIX, with BSCALE/BZERO and BLANK.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fitsNative } from '../../../../../steps/lib/fits/image-data.js';
import { readFitsImage, readFitsRaw } from '../../../../../steps/lib/fits/index.js';
import { differences, python, readFloat64File, temporaryFolder } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);
afterEach(() => {
  delete process.env.ASTERISM_FITS_NATIVE;
});

const WIDTH = 1024;
const HEIGHT = 520;
const CASES = ['U8', 'I16', 'BLANK', 'I32', 'SCALED', 'I64', 'F32', 'F32S', 'F64'] as const;

beforeAll(() => {
  python(
    `
import sys, numpy as np
from astropy.io import fits
d = sys.argv[1]
rng = np.random.default_rng(7)
shape = (${HEIGHT}, ${WIDTH})
hdus = [fits.PrimaryHDU()]
def add(name, data, **kw):
    h = fits.ImageHDU(data, name=name, do_not_scale_image_data=True)
    for k, v in kw.items(): h.header[k] = v
    hdus.append(h)
add('U8', rng.integers(0, 256, shape).astype(np.uint8))
add('I16', rng.integers(-32768, 32768, shape).astype(np.int16))
b = rng.integers(-1000, 1000, shape).astype(np.int16); b[3, 4] = -32768; b[-1, -1] = -32768
add('BLANK', b, BLANK=-32768)
add('I32', rng.integers(-2**31, 2**31, shape).astype(np.int32))
add('SCALED', rng.integers(-2**31, 2**31, shape).astype(np.int32), BSCALE=0.001, BZERO=-7.25)
add('I64', rng.integers(-2**52, 2**52, shape).astype(np.int64))
f = rng.normal(0, 1e3, shape).astype(np.float32); f[1, 2] = np.nan; f[-1, 0] = -np.inf
add('F32', f)
add('F32S', rng.normal(0, 1, shape).astype(np.float32), BSCALE=3.5, BZERO=0.1)
add('F64', rng.normal(0, 1e-3, shape))
fits.HDUList(hdus).writeto(d + '/big.fits')
with fits.open(d + '/big.fits') as fl:
    for h in fl[1:]:
        np.asarray(h.data, dtype=np.float64).tofile(d + '/' + h.name + '.f64')
with fits.open(d + '/big.fits', do_not_scale_image_data=True) as fl:
    for h in fl[1:]:
        h.data.astype(h.data.dtype.newbyteorder('=')).tofile(d + '/' + h.name + '.raw')
    # astropy scales float32 data in float32; we scale in float64 (as for integers), so the
    # reference is numpy's float64 BZERO + BSCALE × stored.
    s = fl['F32S'].data.astype(np.float64)
    (np.float64(0.1) + np.float64(3.5) * s).tofile(d + '/F32S.f64')
`,
    dir,
  );
});

const file = (): string => join(dir, 'big.fits');

/** Physical values, stored values (native order) and an `into` read, all checked against astropy. */
function checkAgainstAstropy(name: (typeof CASES)[number]): Float64Array {
  const expected = readFloat64File(join(dir, `${name}.f64`));
  const { image } = readFitsImage(file(), { hdu: name });
  expect([image.width, image.height]).toEqual([WIDTH, HEIGHT]);
  // Exact: both sides compute BZERO + BSCALE × stored in float64 (int64 values stay below 2^53).
  expect(differences(image.data, expected)).toEqual([]);
  const into = new Float64Array(WIDTH * HEIGHT + 3);
  expect(differences(readFitsImage(file(), { hdu: name, into }).image.data, expected)).toEqual([]);
  const raw = readFitsRaw(file(), { hdu: name });
  const stored = python(`import sys; print(open(sys.argv[1], 'rb').read().hex())`, join(dir, `${name}.raw`));
  expect(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength).toString('hex')).toBe(
    stored.trim(),
  );
  return image.data;
}

describe('the pure-JS reader (ASTERISM_FITS_NATIVE=0)', () => {
  it('is what runs when the native reader is switched off', () => {
    process.env.ASTERISM_FITS_NATIVE = '0';
    expect(fitsNative()).toBeUndefined();
  });
  for (const name of CASES) {
    it(`${name}: equals astropy`, () => {
      process.env.ASTERISM_FITS_NATIVE = '0';
      checkAgainstAstropy(name);
    });
  }
});

describe.skipIf(fitsNative() === undefined)('the native reader (addon built)', () => {
  for (const name of CASES) {
    it(`${name}: equals astropy, and the JS reader bit for bit`, () => {
      expect(fitsNative()).toBeDefined();
      const native = checkAgainstAstropy(name);
      process.env.ASTERISM_FITS_NATIVE = '0';
      const js = readFitsImage(file(), { hdu: name }).image.data;
      expect(
        Buffer.from(native.buffer, native.byteOffset, native.byteLength).equals(
          Buffer.from(js.buffer, js.byteOffset, js.byteLength),
        ),
      ).toBe(true);
    });
  }

  it('reports a truncated file with its path', () => {
    const native = fitsNative();
    expect(() => native?.fitsReadPixels(file(), 2 ** 40, -32, 10, 1, 0, null, null)).toThrow(
      /big\.fits: reading 40 bytes at offset \d+ failed: the file ends early/,
    );
  });
});
