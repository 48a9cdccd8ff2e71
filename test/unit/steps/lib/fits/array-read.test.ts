/**
 * readFitsArray against astropy's `fits.open(...)[k].data`: same type and same bytes, for every
 * BITPIX, with BSCALE/BZERO (float32 arithmetic for BITPIX 8/16 and float data, float64 for
 * 32/64), the unsigned convention, BLANK and a negative BSCALE (astropy's -0), through the
 * native reader and the pure-JS one. 512 × 520 pixels: five blocks of 65536, the last one
 * partial; a larger image below puts both of the native reader's threads to work.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fitsNative } from '../../../../../steps/lib/fits/image-data.js';
import {
  FitsError,
  FitsReader,
  readArrayFrom,
  readFitsArray,
  readFitsImage,
  readFitsRaw,
} from '../../../../../steps/lib/fits/index.js';
import { python, temporaryFolder, thrown } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);
afterEach(() => {
  delete process.env.ASTERISM_FITS_NATIVE;
});

const WIDTH = 512;
const HEIGHT = 520;
const file = (): string => join(dir, 'all.fits');

/** numpy dtype name → the typed array readFitsArray must return. */
const TYPED: Record<string, string> = {
  uint8: 'Uint8Array',
  int8: 'Int8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  int64: 'BigInt64Array',
  uint64: 'BigUint64Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
};

let dtypes: Record<string, string> = {};

beforeAll(() => {
  // Written with do_not_scale_image_data so that the stored integers and the BSCALE/BZERO/BLANK
  // cards are exactly what the test asks for; read back with astropy's defaults (uint=True).
  const out = python(
    `
import sys, json, numpy as np
from astropy.io import fits
d = sys.argv[1]
rng = np.random.default_rng(11)
shape = (${HEIGHT}, ${WIDTH})
hdus = [fits.PrimaryHDU()]
def add(name, data, **kw):
    h = fits.ImageHDU(data, name=name, do_not_scale_image_data=True)
    for k, v in kw.items(): h.header[k] = v
    hdus.append(h)
def ints(lo, hi, t):
    return rng.integers(lo, hi, shape, endpoint=True).astype(t)
add('U8', ints(0, 255, np.uint8))
add('I8', ints(0, 255, np.uint8), BZERO=-128)
add('U8S', ints(0, 255, np.uint8), BSCALE=0.37, BZERO=3.1)
b = ints(0, 255, np.uint8); b[0, :7] = 255
add('U8B', b, BLANK=255)
add('I16', ints(-32768, 32767, np.int16))
add('U16', ints(-32768, 32767, np.int16), BZERO=32768)
u = ints(-32768, 32767, np.int16); u[1, 1] = -1
add('U16B', u, BZERO=32768, BLANK=-1)
s = ints(-32768, 32767, np.int16); s[2, :5] = -32768
add('I16S', s, BSCALE=0.0123, BZERO=-12.3, BLANK=-32768)
add('I16N', ints(-3, 3, np.int16), BSCALE=-2.0)
add('I32', ints(-2**31, 2**31 - 1, np.int32))
add('U32', ints(-2**31, 2**31 - 1, np.int32), BZERO=2**31)
s = ints(-2**31, 2**31 - 1, np.int32); s[3, 3] = -2**31
add('I32S', s, BSCALE=1e-3, BZERO=-7.25, BLANK=-2**31)
add('I64', ints(-2**63, 2**63 - 1, np.int64))
add('U64', ints(-2**63, 2**63 - 1, np.int64), BZERO=2**63)
add('I64S', ints(-2**62, 2**62, np.int64), BSCALE=1e-3, BZERO=5.0)
f = rng.normal(0, 1e3, shape).astype(np.float32); f[1, 2] = np.nan; f[-1, 0] = -np.inf
add('F32', f)
add('F32S', rng.normal(0, 1, shape).astype(np.float32), BSCALE=3.7, BZERO=0.1)
add('F64', rng.normal(0, 1e-3, shape))
add('F64S', rng.normal(0, 1, shape), BSCALE=0.3, BZERO=-1e5)
fits.HDUList(hdus).writeto(d + '/all.fits')
names = {}
with fits.open(d + '/all.fits') as fl:
    for h in fl[1:]:
        a = h.data
        names[h.name] = a.dtype.name
        np.ascontiguousarray(a.astype(a.dtype.newbyteorder('='))).tofile(d + '/' + h.name + '.bin')
print(json.dumps(names))
`,
    dir,
  );
  dtypes = JSON.parse(out) as Record<string, string>;
});

const NAMES = [
  'U8',
  'I8',
  'U8S',
  'U8B',
  'I16',
  'U16',
  'U16B',
  'I16S',
  'I16N',
  'I32',
  'U32',
  'I32S',
  'I64',
  'U64',
  'I64S',
  'F32',
  'F32S',
  'F64',
  'F64S',
] as const;

/** The type and the bytes of our array equal astropy's (NaN payloads and -0 included). */
function checkAgainstAstropy(name: string): void {
  const array = readFitsArray(file(), { hdu: name });
  expect(array.axes).toEqual([WIDTH, HEIGHT]);
  expect(array.data.constructor.name).toBe(TYPED[dtypes[name]!]);
  const ours = Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const theirs = readFileSync(join(dir, `${name}.bin`));
  expect(ours.length).toBe(theirs.length);
  expect(ours.equals(theirs)).toBe(true);
}

it('astropy gives the types the table in readFitsArray promises', () => {
  expect(dtypes).toEqual({
    U8: 'uint8',
    I8: 'int8',
    U8S: 'float32',
    U8B: 'float32',
    I16: 'int16',
    U16: 'uint16',
    U16B: 'uint16',
    I16S: 'float32',
    I16N: 'float32',
    I32: 'int32',
    U32: 'uint32',
    I32S: 'float64',
    I64: 'int64',
    U64: 'uint64',
    I64S: 'float64',
    F32: 'float32',
    F32S: 'float32',
    F64: 'float64',
    F64S: 'float64',
  });
});

describe('the pure-JS reader (ASTERISM_FITS_NATIVE=0)', () => {
  for (const name of NAMES) {
    it(`${name}: astropy's type and bytes`, () => {
      process.env.ASTERISM_FITS_NATIVE = '0';
      checkAgainstAstropy(name);
    });
  }
});

describe.skipIf(fitsNative()?.fitsReadArray === undefined)('the native reader (addon built)', () => {
  for (const name of NAMES) {
    it(`${name}: astropy's type and bytes`, () => {
      checkAgainstAstropy(name);
    });
  }

  it('images of several 2 MiB spans (both threads at work) equal astropy too', () => {
    // 2048 × 1200 pixels: 9.4 MiB of float32 result, five spans with the lead to the first
    // hugepage boundary; the small images above fit in one or two spans, read on one thread.
    const path = join(dir, 'large.fits');
    python(
      `import sys, numpy as np
from astropy.io import fits
rng = np.random.default_rng(3)
f = rng.normal(0, 1e3, (1200, 2048)).astype(np.float32)
s = rng.integers(-32768, 32767, (1200, 2048), endpoint=True).astype(np.int16); s[-1, -3:] = -32768
h = fits.ImageHDU(s, name='I16S', do_not_scale_image_data=True)
h.header['BSCALE'] = 0.0123; h.header['BZERO'] = -12.3; h.header['BLANK'] = -32768
fits.HDUList([fits.PrimaryHDU(f), h]).writeto(sys.argv[1])
with fits.open(sys.argv[1]) as fl:
    for k, name in ((0, 'F32'), (1, 'I16S')):
        a = fl[k].data
        a.astype(a.dtype.newbyteorder('=')).tofile(sys.argv[1] + '.' + name)`,
      path,
    );
    for (const [hdu, name] of [
      [0, 'F32'],
      [1, 'I16S'],
    ] as const) {
      const { data } = readFitsArray(path, { hdu });
      expect(data).toBeInstanceOf(Float32Array);
      const theirs = readFileSync(`${path}.${name}`);
      expect(Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(theirs)).toBe(true);
    }
  });

  it("the native reader's short-read error names the file", () => {
    expect(() => fitsNative()?.fitsReadArray?.(file(), 2 ** 40, -32, 10, 0, 1, 0, null)).toThrow(
      /all\.fits: reading 40 bytes at offset \d+ failed: the file ends early/,
    );
  });

  it('a synchronous loop of reads does not keep every result alive', () => {
    // Results are V8's own ArrayBuffers, collected by its GC. External buffers were not: Node 20
    // runs their finalizers from the event loop, so this loop held all 30 results (480 MiB of
    // float32, 960 MiB of float64). Half of that is the bound; measured peaks were 64-127 MiB.
    const path = join(dir, 'loop.fits');
    python(
      `import sys, numpy as np
from astropy.io import fits
fits.writeto(sys.argv[1], np.ones((2048, 2048), np.float32))`,
      path,
    );
    const MiB = 2 ** 20;
    for (const [read, resultMiB] of [
      [() => readFitsArray(path).data, 16],
      [() => readFitsImage(path).image.data, 32],
    ] as const) {
      const before = process.memoryUsage.rss();
      let peak = 0;
      for (let k = 0; k < 30; k++) {
        expect(read()[4095]).toBe(1);
        peak = Math.max(peak, process.memoryUsage.rss() - before);
      }
      expect(peak / MiB).toBeLessThan((30 * resultMiB) / 2);
    }
  });

  it('readFitsRaw reads the stored values natively, as the JS path does', () => {
    const native = readFitsRaw(file(), { hdu: 'I16S' }).data;
    process.env.ASTERISM_FITS_NATIVE = '0';
    const js = readFitsRaw(file(), { hdu: 'I16S' }).data;
    expect(Buffer.from(native.buffer).equals(Buffer.from(js.buffer))).toBe(true);
  });
});

describe('errors name the file and the HDU', () => {
  it('a truncated data unit, on both paths', () => {
    const cut = join(dir, 'cut.fits');
    writeFileSync(cut, readFileSync(file()));
    truncateSync(cut, readFileSync(file()).length - 2880 * 3);
    for (const native of ['1', '0']) {
      process.env.ASTERISM_FITS_NATIVE = native;
      expect(thrown(() => readFitsArray(cut, { hdu: 'F64S' }), dir)).toMatchInlineSnapshot(
        `"FitsError: <dir>/cut.fits, HDU 19 (F64S): the file is truncated: the data unit needs 2129920 bytes from offset 17645760 but the file ends at 19768320. The file was cut short (interrupted copy or write); get a complete copy"`,
      );
      expect(readFitsArray(cut, { hdu: 'F64' }).data).toBeInstanceOf(Float64Array);
    }
  });

  it('a file cut after its header was checked (read through an open reader), on both paths', () => {
    for (const native of ['1', '0']) {
      process.env.ASTERISM_FITS_NATIVE = native;
      const cut = join(dir, `cut-later-${native}.fits`);
      writeFileSync(cut, readFileSync(file()));
      const reader = FitsReader.open(cut);
      try {
        reader.hdu('F64S'); // headers scanned, the data unit still complete
        truncateSync(cut, readFileSync(file()).length - 2880 * 3);
        const error = thrown(() => readArrayFrom(reader, { hdu: 'F64S' }), dir);
        expect(error).toMatch(
          new RegExp(`^FitsError: <dir>/cut-later-${native}\\.fits, HDU 19 \\(F64S\\): `),
        );
        expect(error).toMatch(
          native === '1'
            ? /the data unit could not be read \(reading \d+ bytes at offset \d+ failed: the file ends early\)/
            : /truncated/,
        );
      } finally {
        reader.close();
      }
    }
  });

  it('a table HDU', () => {
    const path = join(dir, 'table.fits');
    python(
      `import sys, numpy as np
from astropy.io import fits
fits.BinTableHDU.from_columns([fits.Column(name='A', format='J', array=np.arange(3))], name='T').writeto(sys.argv[1])`,
      path,
    );
    expect(() => readFitsArray(path, { hdu: 1 })).toThrow(FitsError);
    expect(thrown(() => readFitsArray(path, { hdu: 1 }), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/table.fits, HDU 1 (T): this HDU is a bintable, not an image. Select an image HDU with the hdu option; tables are read with readFitsTable"`,
    );
  });
});
