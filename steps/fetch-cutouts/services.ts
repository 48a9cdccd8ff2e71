/**
 * The cutout services' URL and parameter conventions:
 * - Pan-STARRS1 (STScI `ps1images`): `ps1filenames.py?ra&dec&filters&type=stack` answers a
 *   whitespace-separated table (`projcell subcell ra dec filter mjd type filename shortname
 *   badflag`); `fitscut.cgi?ra&dec&size&format=fits&red=<filename>` cuts size×size pixels
 *   (0.25″/pixel) from that file.
 * - Legacy Surveys viewer: `fits-cutout?ra&dec&layer&pixscale&bands&size` (pixscale in ″/pixel;
 *   one band gives a 2-D image, several a cube).
 * - CDS hips2fits: `hips2fits?hips&width&height&fov&projection&coordsys&ra&dec&format=fits`
 *   (fov in degrees along the larger side).
 */
import { ResponseContentError } from '../lib/http/index.js';
import type { SkyPosition } from './positions.js';

/** The services and their public base URLs. */
export const SERVICE_BASE_URLS = {
  ps1: 'https://ps1images.stsci.edu/cgi-bin',
  legacy: 'https://www.legacysurvey.org/viewer/fits-cutout',
  hips2fits: 'https://alasky.cds.unistra.fr/hips-image-services/hips2fits',
} as const;

/** The Pan-STARRS1 pixel scale, arcseconds per pixel (fitscut does not resample). */
export const PS1_PIXEL_SCALE_ARCSEC = 0.25;

/** What a request needs besides the position. */
export interface CutoutRequest {
  readonly baseUrl: string;
  /** Side of the square cutout, pixels. */
  readonly size: number;
  readonly band: string;
  readonly pixelScaleArcsec: number;
  readonly layer: string;
  readonly hips: string;
}

/** `base` + `path` + query, with a slash between them whatever the base ends with. */
function url(base: string, path: string, query: Readonly<Record<string, string>>): string {
  const joined = path === '' ? base : `${base.replace(/\/+$/, '')}/${path}`;
  return `${joined}?${new URLSearchParams(query).toString()}`;
}

/** Degrees as the services expect them: plain decimal, enough digits for 1 mas. */
function deg(value: number): string {
  return value.toFixed(7).replace(/\.?0+$/, '');
}

export function ps1FilenamesUrl(request: CutoutRequest, position: SkyPosition): string {
  return url(request.baseUrl, 'ps1filenames.py', {
    ra: deg(position.ra),
    dec: deg(position.dec),
    filters: request.band,
    type: 'stack',
  });
}

export function ps1FitscutUrl(request: CutoutRequest, position: SkyPosition, filename: string): string {
  return url(request.baseUrl, 'fitscut.cgi', {
    ra: deg(position.ra),
    dec: deg(position.dec),
    size: String(request.size),
    format: 'fits',
    red: filename,
  });
}

export function legacyUrl(request: CutoutRequest, position: SkyPosition): string {
  return url(request.baseUrl, '', {
    ra: deg(position.ra),
    dec: deg(position.dec),
    layer: request.layer,
    pixscale: String(request.pixelScaleArcsec),
    bands: request.band,
    size: String(request.size),
  });
}

export function hips2fitsUrl(request: CutoutRequest, position: SkyPosition): string {
  const fovDeg = (request.size * request.pixelScaleArcsec) / 3600;
  return url(request.baseUrl, '', {
    hips: request.hips,
    width: String(request.size),
    height: String(request.size),
    fov: String(fovDeg),
    projection: 'TAN',
    coordsys: 'icrs',
    ra: deg(position.ra),
    dec: deg(position.dec),
    format: 'fits',
  });
}

/**
 * The stack image filename for `band` from a `ps1filenames.py` table. Throws a non-retryable
 * `ResponseContentError` when the answer is not that table; returns undefined when the table
 * has no row for the band (the position is outside the 3π survey, dec < −30°).
 */
export function parsePs1Filenames(body: Buffer, band: string): string | undefined {
  const lines = body
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = lines[0]?.split(/\s+/) ?? [];
  const filterColumn = header.indexOf('filter');
  const filenameColumn = header.indexOf('filename');
  if (filterColumn < 0 || filenameColumn < 0) {
    throw new ResponseContentError(
      `expected the ps1filenames table (columns filter, filename), got: ${JSON.stringify(lines[0]?.slice(0, 80) ?? '')}`,
      false,
    );
  }
  for (const line of lines.slice(1)) {
    const fields = line.split(/\s+/);
    if (fields[filterColumn] === band) return fields[filenameColumn];
  }
  return undefined;
}
