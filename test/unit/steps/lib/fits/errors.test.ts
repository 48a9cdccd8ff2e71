import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FitsError,
  readFitsHeader,
  readFitsImage,
  verifyChecksums,
  writeFits,
} from '../../../../../steps/lib/fits/index.js';
import { python, temporaryFolder, thrown } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

const good = join(dir, 'good.fits');
const image = { width: 30, height: 20, data: new Float64Array(600).map((_, i) => i) };

/** A copy of the good file with `edit` applied to its bytes. */
function corrupt(name: string, edit: (bytes: Buffer) => void): string {
  const bytes = readFileSync(good);
  edit(bytes);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Overwrite the 80-character card starting with `keyword` (first match) by `card`. */
function replaceCard(bytes: Buffer, keyword: string, card: string, from = 0): void {
  const at = bytes.indexOf(Buffer.from(keyword.padEnd(8), 'latin1'), from);
  bytes.write(card.padEnd(80), at, 'latin1');
}

beforeAll(() => {
  writeFits(good, [
    { data: image, bitpix: -32 },
    { data: image, bitpix: -32, extname: 'SCI' },
  ]);
});

describe('errors name the file, the HDU and what is wrong', () => {
  it('a non-FITS file', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are notes, not an image\n');
    expect(thrown(() => readFitsImage(path), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/notes.txt: not a FITS file: it must start with 'SIMPLE  =                    T' but starts with "these are notes, not". Check that the path names a FITS image or table (.fits, .fit, .fts, .fz)"`,
    );
  });

  it('an empty file', () => {
    const path = join(dir, 'empty.fits');
    writeFileSync(path, '');
    expect(thrown(() => readFitsImage(path), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/empty.fits: not a FITS file: it is empty. Check that the path names a FITS image or table (.fits, .fit, .fts, .fz)"`,
    );
  });

  it('a missing file', () => {
    expect(thrown(() => readFitsImage(join(dir, 'absent.fits')), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/absent.fits: cannot open the file (ENOENT). Check the path and its permissions"`,
    );
  });

  it('truncated data: the earlier HDU still reads (lazily), the cut one fails', () => {
    const path = corrupt('cut-data.fits', () => {});
    truncateSync(path, readFileSync(good).length - 2880);
    expect(readFitsImage(path, { hdu: 0 }).image.data[599]).toBe(599);
    expect(thrown(() => readFitsImage(path, { hdu: 'SCI' }), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/cut-data.fits, HDU 1 (SCI): the file is truncated: the data unit needs 2400 bytes from offset 8640 but the file ends at 8640. The file was cut short (interrupted copy or write); get a complete copy"`,
    );
  });

  it('a header cut before END', () => {
    const path = corrupt('cut-header.fits', () => {});
    truncateSync(path, 1000);
    expect(thrown(() => readFitsHeader(path), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/cut-header.fits, HDU 0: the file is truncated: the header starting at byte 0 has no END card before the file ends at 1000. The file was cut short (interrupted copy or write); get a complete copy"`,
    );
  });

  it('a malformed card', () => {
    const path = corrupt('bad-card.fits', (b) => replaceCard(b, 'BITPIX', "BITPIX  = 'abc"));
    expect(thrown(() => readFitsImage(path), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/bad-card.fits, HDU 0: header card 2 is malformed (string value 'abc has no closing quote): "BITPIX  = 'abc". Fix or remove the card (e.g. with astropy or fmodhead) and read the file again"`,
    );
  });

  it('NAXIS out of range and a missing NAXISn', () => {
    const negative = corrupt('naxis-negative.fits', (b) =>
      replaceCard(b, 'NAXIS', 'NAXIS   =                   -2'),
    );
    expect(thrown(() => readFitsImage(negative), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/naxis-negative.fits, HDU 0: NAXIS = -2 is not an integer from 0 to 999. The header does not follow the FITS standard; repair it or re-export the file"`,
    );
    const missing = corrupt('naxis2-missing.fits', (b) =>
      replaceCard(b, 'NAXIS2', 'NAXISX  =                   20'),
    );
    expect(thrown(() => readFitsImage(missing), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/naxis2-missing.fits, HDU 0: NAXIS = 2 but NAXIS2 is missing, expected a non-negative integer. The header does not follow the FITS standard; repair it or re-export the file"`,
    );
  });

  it('a 1-D array where an image is expected', () => {
    const path = join(dir, 'vector.fits');
    writeFits(path, [{ data: { axes: [5], data: new Float32Array(5) } }]);
    expect(thrown(() => readFitsImage(path), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/vector.fits, HDU 0: NAXIS = 1: a 1-D array of 5 values is not an image. Select an HDU with NAXIS = 2 (or a cube and a plane)"`,
    );
  });

  it('an unknown EXTNAME lists the names there are', () => {
    expect(thrown(() => readFitsImage(good, { hdu: 'VAR' }), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/good.fits: there is no HDU with EXTNAME 'VAR'. Names present: SCI"`,
    );
    expect(thrown(() => readFitsImage(good, { hdu: 5 }), dir)).toMatchInlineSnapshot(
      `"FitsError: <dir>/good.fits: there is no HDU 5; the file has 2 (0 to 1). List them with \`asterism fits info FILE\`"`,
    );
  });

  it('every one of these is a FitsError carrying file and HDU', () => {
    try {
      readFitsImage(good, { hdu: 'VAR' });
    } catch (error) {
      expect(error).toBeInstanceOf(FitsError);
      expect((error as FitsError).file).toBe(good);
    }
    expect.assertions(2);
  });
});

describe('verifyChecksums', () => {
  it('accepts what we and astropy write, and finds a flipped data byte and an edited header card', () => {
    expect(verifyChecksums(good).map((h) => [h.datasum, h.checksum])).toEqual([
      ['ok', 'ok'],
      ['ok', 'ok'],
    ]);
    const theirs = join(dir, 'astropy-checksum.fits');
    python(
      `
import sys, numpy as np
from astropy.io import fits
fits.HDUList([fits.PrimaryHDU(np.arange(20, dtype=np.int16).reshape(4, 5)), fits.ImageHDU(np.ones((3, 3)), name='X')]).writeto(sys.argv[1], checksum=True)
`,
      theirs,
    );
    expect(verifyChecksums(theirs).map((h) => [h.datasum, h.checksum])).toEqual([
      ['ok', 'ok'],
      ['ok', 'ok'],
    ]);
    const dataFlipped = corrupt('flipped.fits', (b) => {
      b[2880 + 17] = b[2880 + 17]! ^ 0x10;
    });
    expect(verifyChecksums(dataFlipped)[0]).toMatchObject({ datasum: 'bad', checksum: 'bad' });
    const headerEdited = corrupt('edited.fits', (b) =>
      replaceCard(b, 'BITPIX', 'BITPIX  =                  -32 / edited comment'),
    );
    expect(verifyChecksums(headerEdited)[0]).toMatchObject({ datasum: 'ok', checksum: 'bad' });
    writeFits(join(dir, 'plain.fits'), [{ data: image }], { checksum: false });
    expect(verifyChecksums(join(dir, 'plain.fits'))[0]).toMatchObject({
      datasum: 'absent',
      checksum: 'absent',
    });
  });
});
