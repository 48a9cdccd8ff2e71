/**
 * Reading a TAN WCS from a FITS header (CD matrix, or PC + CDELT, or the older CDELT + CROTA2)
 * and writing one back as CD cards (FITS WCS Paper I, Greisen & Calabretta 2002, section 2).
 */
import type { CardInit, Header } from '../fits/index.js';
import { FitsError } from '../fits/index.js';
import type { Matrix2, TanWcs } from './types.js';

export interface ReadWcsOptions {
  /** Called with a message for what is read but ignored (SIP distortion terms). Default: console.warn. */
  readonly onWarning?: (message: string) => void;
}

const UNIT_TO_DEG: Record<string, number> = {
  '': 1,
  deg: 1,
  arcmin: 1 / 60,
  arcsec: 1 / 3600,
  rad: 180 / Math.PI,
};

/** True when the header has a celestial TAN WCS (with or without SIP). */
export function hasTanWcs(header: Header): boolean {
  const c1 = header.get('CTYPE1');
  const c2 = header.get('CTYPE2');
  return (
    typeof c1 === 'string' &&
    typeof c2 === 'string' &&
    /-TAN(-SIP)?$/.test(c1.trim()) &&
    /-TAN(-SIP)?$/.test(c2.trim())
  );
}

/**
 * The TAN WCS of a header.
 * @throws FitsError when CTYPE is not a celestial TAN pair or the matrix is singular.
 */
export function readWcs(header: Header, options: ReadWcsOptions = {}): TanWcs {
  const location = header.location ?? { file: '(header)' };
  const fail = (problem: string): FitsError =>
    new FitsError(
      location,
      problem,
      'Only the celestial TAN projection is supported; reproject or pass a TAN header',
    );
  const ctype1 = (header.getString('CTYPE1') ?? '').trim().toUpperCase();
  const ctype2 = (header.getString('CTYPE2') ?? '').trim().toUpperCase();
  if (!/-TAN(-SIP)?$/.test(ctype1) || !/-TAN(-SIP)?$/.test(ctype2)) {
    throw fail(
      `CTYPE1 = '${ctype1}' and CTYPE2 = '${ctype2}' are not a celestial TAN pair such as RA---TAN / DEC--TAN`,
    );
  }
  const isLatitude = (ctype: string): boolean => /^(DEC-|[A-Z]LAT|[A-Z]{2}LT)/.test(ctype);
  const swapped = isLatitude(ctype1);
  if (swapped === isLatitude(ctype2))
    throw fail(`CTYPE1 = '${ctype1}' and CTYPE2 = '${ctype2}' do not name one longitude and one latitude`);
  if (ctype1.endsWith('-SIP') || ctype2.endsWith('-SIP')) {
    (options.onWarning ?? ((m: string) => console.warn(m)))(
      `${location.file}: SIP distortion terms are ignored; positions away from CRPIX may be off by the distortion (use astropy for full accuracy)`,
    );
  }
  const scale = (i: number): number => {
    const unit = (header.getString(`CUNIT${i}`) ?? '').trim().toLowerCase();
    const factor = UNIT_TO_DEG[unit];
    if (factor === undefined) throw fail(`CUNIT${i} = '${unit}' is not deg, arcmin, arcsec or rad`);
    return factor;
  };
  const u1 = scale(1);
  const u2 = scale(2);
  const cd = readMatrix(header, u1, u2);
  const det = cd[0][0] * cd[1][1] - cd[0][1] * cd[1][0];
  if (!Number.isFinite(det) || det === 0) throw fail('the CD (or PC × CDELT) matrix is singular');
  const crval1 = (header.getNumber('CRVAL1') ?? 0) * u1;
  const crval2 = (header.getNumber('CRVAL2') ?? 0) * u2;
  const crval: [number, number] = swapped ? [crval2, crval1] : [crval1, crval2];
  // LONPOLE default for zenithal projections (θ0 = 90°): 0° if δ0 ≥ θ0, else 180° (Paper II section 2.2).
  const lonpole = header.getNumber('LONPOLE') ?? (crval[1] >= 90 ? 0 : 180);
  const radesys = header.getString('RADESYS') ?? header.getString('RADECSYS');
  const equinox = header.getNumber('EQUINOX') ?? header.getNumber('EPOCH');
  return {
    crpix: [header.getNumber('CRPIX1') ?? 0, header.getNumber('CRPIX2') ?? 0],
    crval,
    cd,
    lonpole,
    ctype: [ctype1.replace(/-SIP$/, ''), ctype2.replace(/-SIP$/, '')],
    ...(radesys === undefined ? {} : { radesys: radesys.trim() }),
    ...(equinox === undefined ? {} : { equinox }),
    ...(swapped ? { swapped } : {}),
  };
}

function readMatrix(header: Header, u1: number, u2: number): Matrix2 {
  const has = (k: string): boolean => header.has(k);
  const n = (k: string, fallback: number): number => header.getNumber(k) ?? fallback;
  if (has('CD1_1') || has('CD1_2') || has('CD2_1') || has('CD2_2')) {
    // Absent CDi_j default to 0 when any is present (Paper I section 2.1.2).
    return [
      [n('CD1_1', 0) * u1, n('CD1_2', 0) * u1],
      [n('CD2_1', 0) * u2, n('CD2_2', 0) * u2],
    ];
  }
  const cdelt1 = n('CDELT1', 1) * u1;
  const cdelt2 = n('CDELT2', 1) * u2;
  if (has('PC1_1') || has('PC1_2') || has('PC2_1') || has('PC2_2')) {
    return [
      [cdelt1 * n('PC1_1', 1), cdelt1 * n('PC1_2', 0)],
      [cdelt2 * n('PC2_1', 0), cdelt2 * n('PC2_2', 1)],
    ];
  }
  // AIPS convention: CROTA2 rotates the latitude axis (Paper II eq. 188).
  const rho = (n('CROTA2', 0) * Math.PI) / 180;
  return [
    [cdelt1 * Math.cos(rho), -cdelt2 * Math.sin(rho)],
    [cdelt1 * Math.sin(rho), cdelt2 * Math.cos(rho)],
  ];
}

/** Header cards for a TAN WCS (CD-matrix form, degrees). */
export function wcsCards(wcs: TanWcs): CardInit[] {
  const [lng, lat] = wcs.crval;
  const crval = wcs.swapped === true ? [lat, lng] : [lng, lat];
  const cards: CardInit[] = [
    { keyword: 'WCSAXES', value: 2, comment: 'number of WCS axes' },
    { keyword: 'CTYPE1', value: wcs.ctype[0], comment: 'gnomonic projection' },
    { keyword: 'CTYPE2', value: wcs.ctype[1], comment: 'gnomonic projection' },
    { keyword: 'CUNIT1', value: 'deg', comment: 'unit of CRVAL1 and CD1_j' },
    { keyword: 'CUNIT2', value: 'deg', comment: 'unit of CRVAL2 and CD2_j' },
    { keyword: 'CRPIX1', value: wcs.crpix[0], comment: 'reference pixel (1-based)', real: true },
    { keyword: 'CRPIX2', value: wcs.crpix[1], comment: 'reference pixel (1-based)', real: true },
    { keyword: 'CRVAL1', value: crval[0]!, comment: '[deg] world coordinate at CRPIX', real: true },
    { keyword: 'CRVAL2', value: crval[1]!, comment: '[deg] world coordinate at CRPIX', real: true },
    { keyword: 'CD1_1', value: wcs.cd[0][0], comment: '[deg/pixel] linear transformation', real: true },
    { keyword: 'CD1_2', value: wcs.cd[0][1], comment: '[deg/pixel] linear transformation', real: true },
    { keyword: 'CD2_1', value: wcs.cd[1][0], comment: '[deg/pixel] linear transformation', real: true },
    { keyword: 'CD2_2', value: wcs.cd[1][1], comment: '[deg/pixel] linear transformation', real: true },
    {
      keyword: 'LONPOLE',
      value: wcs.lonpole,
      comment: '[deg] native longitude of celestial pole',
      real: true,
    },
    { keyword: 'RADESYS', value: wcs.radesys ?? 'ICRS', comment: 'celestial reference system' },
  ];
  if (wcs.equinox !== undefined)
    cards.push({ keyword: 'EQUINOX', value: wcs.equinox, comment: 'equinox of coordinates', real: true });
  return cards;
}
