import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCard, parseCard } from '../../../../../steps/lib/fits/card.js';
import { Header, readFitsHeader } from '../../../../../steps/lib/fits/index.js';
import { python, temporaryFolder } from './helpers.js';

const { dir, cleanup } = temporaryFolder();
afterAll(cleanup);

describe('headers astropy writes', () => {
  it('reads CONTINUE long strings, HIERARCH, HISTORY, COMMENT, logicals, integers and reals as astropy does', () => {
    const path = join(dir, 'header.fits');
    const out = python(
      `
import sys, json, warnings
from astropy.io import fits
warnings.simplefilter('ignore')
h = fits.Header()
h['OBJECT'] = "M31's core, a long description " + 'x' * 120 + " that ends here"
h['HIERARCH ESO INS FILT1 NAME'] = 'R-special'
h['HIERARCH ESO TEL AIRM START'] = 1.234
h['EXPTIME'] = (60.0, 'exposure time [s]')
h['NCOMBINE'] = 12
h['TINY'] = 1.5e-20
h['FLAG'] = False
h['EMPTY'] = ''
h['HISTORY'] = 'first history line'
h['HISTORY'] = 'second history line'
h['COMMENT'] = 'a comment card'
fits.PrimaryHDU(header=h).writeto(sys.argv[1])
with fits.open(sys.argv[1]) as f:
    hh = f[0].header
    print(json.dumps({'OBJECT': hh['OBJECT'], 'FILT': hh['HIERARCH ESO INS FILT1 NAME'], 'AIRM': hh['HIERARCH ESO TEL AIRM START'],
      'EXPTIME': hh['EXPTIME'], 'NCOMBINE': hh['NCOMBINE'], 'TINY': hh['TINY'], 'FLAG': hh['FLAG'], 'EMPTY': hh['EMPTY'],
      'HISTORY': [str(x) for x in hh['HISTORY']], 'COMMENT': [str(x) for x in hh['COMMENT']], 'comment': hh.comments['EXPTIME']}))
`,
      path,
    );
    const expected = JSON.parse(out) as Record<string, unknown>;
    const header = readFitsHeader(path);
    expect({
      OBJECT: header.getString('OBJECT'),
      FILT: header.getString('HIERARCH ESO INS FILT1 NAME'),
      AIRM: header.getNumber('ESO TEL AIRM START'),
      EXPTIME: header.getNumber('EXPTIME'),
      NCOMBINE: header.getInteger('NCOMBINE'),
      TINY: header.getNumber('TINY'),
      FLAG: header.getBoolean('FLAG'),
      EMPTY: header.getString('EMPTY'),
      HISTORY: header.history(),
      COMMENT: header.comments(),
      comment: header.comment('EXPTIME'),
    }).toEqual(expected);
  });

  it('typed getters refuse a value of the wrong type, naming the keyword', () => {
    const header = new Header([{ keyword: 'EXPTIME', value: 'sixty' }]);
    expect(() => header.getNumber('EXPTIME')).toThrowErrorMatchingInlineSnapshot(
      `[FitsError: (header): keyword EXPTIME = "sixty" is not a number. Check the header with \`asterism fits info FILE --header\`]`,
    );
  });

  it('formats cards in the fixed format and round-trips them', () => {
    const cases = [
      { keyword: 'NAXIS1', value: 1024, comment: 'width' },
      { keyword: 'EXPTIME', value: 60, comment: '', isReal: true },
      { keyword: 'TINY', value: 1.5e-20, comment: '', isReal: true },
      { keyword: 'OBJECT', value: "it's", comment: 'quoted' },
      { keyword: 'SIMPLE', value: true, comment: '' },
    ];
    const lines = cases.map((c) => formatCard(c)[0]!);
    expect(lines.map((l) => l.trimEnd())).toMatchInlineSnapshot(`
      [
        "NAXIS1  =                 1024 / width",
        "EXPTIME =                 60.0",
        "TINY    =              1.5E-20",
        "OBJECT  = 'it''s   '           / quoted",
        "SIMPLE  =                    T",
      ]
    `);
    for (const [i, line] of lines.entries()) expect(parseCard(line).value).toEqual(cases[i]!.value);
  });
});
