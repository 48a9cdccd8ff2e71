import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Bitpix,
  type HduSpec,
  Header,
  provenanceCards,
  readFitsImage,
  readProvenance,
  writeFits,
} from '../../../../../steps/lib/fits/index.js';
import { differences, fitsverify, python, temporaryFolder, thrown } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

const width = 13;
const height = 9;

function values(scale: number, offset: number): Float64Array {
  return Float64Array.from(
    { length: width * height },
    (_, i) => Math.round(Math.sin(i * 12.9898) * scale) + offset,
  );
}

/** Our files, checked by astropy: values (float64 dump beside each HDU) and header cards. */
function astropyCompare(path: string, expected: Record<string, Float64Array>): Record<string, unknown> {
  for (const [name, data] of Object.entries(expected)) writeFileSync(join(dir, `${name}.expected`), data);
  const out = python(
    `
import sys, json, warnings, numpy as np
from astropy.io import fits
warnings.simplefilter('error')  # a checksum mismatch or a header fix-up is a failure
path, d = sys.argv[1], sys.argv[2]
report = {}
with fits.open(path, checksum=True) as f:
    for h in f:
        name = h.name
        if h.data is None: continue
        exp = np.fromfile(f'{d}/{name}.expected', dtype=np.float64).reshape(h.data.shape)
        got = np.asarray(h.data, dtype=np.float64)
        report[name] = {'equal': bool(np.array_equal(got, exp, equal_nan=True)), 'dtype': str(h.data.dtype),
                        'bunit': h.header.get('BUNIT'), 'aststep': h.header.get('ASTSTEP'), 'astkey': h.header.get('ASTKEY'),
                        'history': [str(x) for x in h.header.get('HISTORY', [])], 'hier': h.header.get('HIERARCH ESO DET CHIP NAME')}
print(json.dumps(report))
`,
    path,
    dir,
  );
  return JSON.parse(out) as Record<string, unknown>;
}

describe('writing images', () => {
  it('writes every BITPIX, the unsigned conventions, scaling and BLANK; fitsverify is clean and astropy reads the same values', () => {
    const base = values(100, 0);
    const withNan = values(1000, 5);
    withNan[7] = Number.NaN;
    const cases: {
      name: string;
      spec: Omit<HduSpec & { type?: 'image' }, 'extname'>;
      expected: Float64Array;
    }[] = [
      {
        name: 'B8',
        spec: { data: { width, height, data: values(100, 120) }, bitpix: 8 },
        expected: values(100, 120),
      },
      { name: 'I16', spec: { data: { width, height, data: base }, bitpix: 16 }, expected: base },
      {
        name: 'I32',
        spec: { data: { width, height, data: values(2e9, 0) }, bitpix: 32 },
        expected: values(2e9, 0),
      },
      {
        name: 'I64',
        spec: { data: { width, height, data: values(2 ** 50, 0) }, bitpix: 64 },
        expected: values(2 ** 50, 0),
      },
      { name: 'F32', spec: { data: { width, height, data: base }, bitpix: -32 }, expected: base },
      {
        name: 'F64',
        spec: { data: { width, height, data: base.map((v) => v / 7) } },
        expected: base.map((v) => v / 7),
      },
      {
        name: 'U16',
        spec: { data: { axes: [width, height], data: Uint16Array.from(values(30000, 32000)) } },
        expected: values(30000, 32000),
      },
      {
        name: 'U32',
        spec: { data: { axes: [width, height], data: Uint32Array.from(values(2e9, 2.1e9)) } },
        expected: values(2e9, 2.1e9),
      },
      {
        name: 'S8',
        spec: { data: { axes: [width, height], data: Int8Array.from(values(100, 0)) } },
        expected: values(100, 0),
      },
      {
        name: 'SCALED',
        spec: {
          data: { width, height, data: values(1000, 0).map((v) => v * 0.5 + 10) },
          bitpix: 16,
          bscale: 0.5,
          bzero: 10,
        },
        expected: values(1000, 0).map((v) => v * 0.5 + 10),
      },
      { name: 'BLANK', spec: { data: { width, height, data: withNan }, bitpix: 16 }, expected: withNan },
    ];
    const path = join(dir, 'images.fits');
    writeFits(path, [
      {},
      ...cases.map(({ name, spec }) => ({ ...spec, extname: name, bunit: 'adu' })),
    ] as HduSpec[]);
    const verdict = fitsverify(path);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: 0, warnings: 0 });
    const report = astropyCompare(path, Object.fromEntries(cases.map((c) => [c.name, c.expected])));
    for (const { name } of cases) expect(report[name], name).toMatchObject({ equal: true, bunit: 'adu' });
    expect(report.U16).toMatchObject({ dtype: 'uint16' });
    expect(report.U32).toMatchObject({ dtype: 'uint32' });
    expect(report.S8).toMatchObject({ dtype: 'int8' });
    // Our own reader agrees too.
    for (const { name, expected } of cases)
      expect(differences(readFitsImage(path, { hdu: name }).image.data, expected), name).toEqual([]);
  });

  it('writes provenance, long strings, HISTORY and HIERARCH cards that astropy reads back', () => {
    const key = 'f'.repeat(64);
    const recipe = `a-recipe-with-a-long-name-${'x'.repeat(80)}`;
    const header = new Header()
      .addHistory('made by a test; this history line is long enough to need two cards, so it is split in two')
      .set('HIERARCH ESO DET CHIP NAME', 'CCD-44', 'chip');
    const data = values(10, 0);
    const path = join(dir, 'provenance.fits');
    writeFits(path, [
      {
        data: { width, height, data },
        extname: 'SCI',
        cards: [
          ...header.cards,
          ...provenanceCards({ step: 'difference', version: 2, key, recipe, id: 'diff' }),
        ],
      },
    ]);
    const verdict = fitsverify(path);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: 0, warnings: 0 });
    const report = astropyCompare(path, { SCI: data }) as Record<string, Record<string, unknown>>;
    expect(report.SCI).toMatchObject({ equal: true, aststep: 'difference', astkey: key, hier: 'CCD-44' });
    expect((report.SCI!.history as string[]).join('')).toBe(
      'made by a test; this history line is long enough to need two cards, so it is split in two',
    );
    expect(readProvenance(readFitsImage(path).header)).toEqual({
      step: 'difference',
      version: '2',
      id: 'diff',
      key,
      recipe,
    });
  });

  it('refuses values that do not fit the BITPIX instead of wrapping them', () => {
    const data = values(10, 0);
    data[5] = 40000;
    expect(
      thrown(() => writeFits(join(dir, 'bad.fits'), [{ data: { width, height, data }, bitpix: 16 }]), dir),
    ).toMatchInlineSnapshot(
      `"FitsError: <dir>/bad.fits, HDU 0: pixel 5 = 40000 cannot be stored as BITPIX 16 with BSCALE 1 and BZERO 0 (out of range). Choose a wider BITPIX, a float BITPIX (-32 or -64), or other BSCALE/BZERO"`,
    );
    // Nothing is left behind: neither the target nor the temporary file.
    expect(readdirSync(dir).filter((f) => f.includes('bad.fits'))).toEqual([]);
    // A failed rewrite leaves the previous file as it was (temp file + rename).
    const kept = join(dir, 'kept.fits');
    writeFits(kept, [{ data: { width, height, data: values(10, 0) }, bitpix: 16, extname: 'OLD' }]);
    expect(() => writeFits(kept, [{ data: { width, height, data }, bitpix: 16 }])).toThrow(/out of range/);
    expect(readFitsImage(kept).extname).toBe('OLD');
  });

  it('writes each supported BITPIX for an Image through the same call', () => {
    const bitpixes: Bitpix[] = [8, 16, 32, 64, -32, -64];
    for (const bitpix of bitpixes) {
      const path = join(dir, `one-${bitpix}.fits`);
      writeFits(path, [{ data: { width, height, data: values(100, 120) }, bitpix }]);
      expect(differences(readFitsImage(path).image.data, values(100, 120))).toEqual([]);
    }
  });
});
