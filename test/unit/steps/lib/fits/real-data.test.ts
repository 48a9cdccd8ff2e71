import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsReader, readFitsImage, writeFits } from '../../../../../steps/lib/fits/index.js';
import { differences, fitsverify, python, readFloat64File, SHARED_DATA, temporaryFolder } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

const ESO = join(SHARED_DATA, 'eso085-030');
const GMOS = join(SHARED_DATA, 'gmos-cosmic-rays', 'gmos.fits');

/** astropy's float64 values of one HDU. */
function astropyValues(path: string, hdu: string | number): Float64Array {
  const out = join(dir, `expected-${readdirSync(dir).length}.f64`);
  python(
    `
import sys, numpy as np
from astropy.io import fits
hdu = sys.argv[2]
hdu = int(hdu) if hdu.isdigit() else hdu
with fits.open(sys.argv[1]) as f: np.asarray(f[hdu].data, np.float64).tofile(sys.argv[3])
`,
    path,
    String(hdu),
    out,
  );
  return readFloat64File(out);
}

describe('real files in ../shared/data', () => {
  for (const file of ['aligned_eso085-030-004.fit', 'aligned_eso085-030-005.fit']) {
    it(`${file} (int16, BZERO 32768) reads as astropy reads it`, () => {
      const path = join(ESO, file);
      const { image, header } = readFitsImage(path);
      expect([image.width, image.height]).toEqual([1024, 682]);
      expect(header.getNumber('BZERO')).toBe(32768);
      expect(differences(image.data, astropyValues(path, 0))).toEqual([]);
    });
  }

  it('gmos.fits: SCI, VAR and SKYFIT read by name as astropy reads them', () => {
    const reader = FitsReader.open(GMOS);
    try {
      expect(reader.hdus().map((h) => h.extname ?? '')).toEqual(['', 'SCI', 'VAR', 'SKYFIT']);
    } finally {
      reader.close();
    }
    for (const name of ['SCI', 'VAR', 'SKYFIT']) {
      const { image, extname } = readFitsImage(GMOS, { hdu: name.toLowerCase() });
      expect([extname, image.width, image.height]).toEqual([name, 200, 150]);
      expect(differences(image.data, astropyValues(GMOS, name)), name).toEqual([]);
    }
  });

  it('copies a real image with its header into a file that fitsverify passes and astropy reads identically', () => {
    const { image, header } = readFitsImage(join(ESO, 'aligned_eso085-030-004.fit'));
    const path = join(dir, 'copy.fits');
    writeFits(path, [{ data: image, bitpix: 16, bzero: 32768, cards: header }]);
    const verdict = fitsverify(path);
    expect({ errors: verdict.errors, warnings: verdict.warnings }).toEqual({ errors: 0, warnings: 0 });
    expect(differences(astropyValues(path, 0), image.data)).toEqual([]);
  });
});
