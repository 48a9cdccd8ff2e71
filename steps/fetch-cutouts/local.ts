/**
 * `source: local`: cutouts from FITS files already on disk (a folder, or a glob on the file
 * name such as `data/field-*.fits`). Each position is cut from the first file (sorted by name)
 * whose TAN WCS puts it inside the image; pixels beyond the image edge are NaN.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Header, readFitsHeader, readFitsImage } from '../lib/fits/index.js';
import type { Image } from '../lib/image/types.js';
import { hasTanWcs, readWcs, skyToPixel, type TanWcs } from '../lib/wcs/index.js';
import type { SkyPosition } from './positions.js';

/** A local FITS file with a usable WCS. */
interface LocalFrame {
  readonly path: string;
  readonly wcs: TanWcs;
  readonly width: number;
  readonly height: number;
}

/** A cutout cut from a local file. */
export interface LocalCutout {
  readonly image: Image;
  readonly header: Header;
  readonly file: string;
}

const FITS_NAME = /\.(fits|fit|fts)$/i;

/** Files of a folder or a file-name glob (`*` any run, `?` one character; folders are literal). */
export function listLocalFits(pattern: string): string[] {
  let isDirectory = false;
  try {
    isDirectory = statSync(pattern).isDirectory();
  } catch {
    // Not an existing path: treat the last component as a glob.
  }
  const folder = isDirectory ? pattern : dirname(pattern);
  const glob = isDirectory ? undefined : globRegExp(basename(pattern));
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    throw new Error(`${folder}: no such folder`);
  }
  const files = names
    .filter((n) => !n.startsWith('.') && (glob === undefined ? FITS_NAME.test(n) : glob.test(n)))
    .sort()
    .map((n) => join(folder, n));
  if (files.length === 0) throw new Error(`${pattern}: matches no FITS file`);
  return files;
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Index the files' WCS once (headers only); files without a TAN WCS are reported, not used. */
export function indexLocalFrames(files: readonly string[], warn: (message: string) => void): LocalFrame[] {
  const frames: LocalFrame[] = [];
  for (const path of files) {
    const header = readFitsHeader(path);
    const width = header.getInteger('NAXIS1') ?? 0;
    const height = header.getInteger('NAXIS2') ?? 0;
    if (!hasTanWcs(header) || width === 0 || height === 0) {
      warn(`${path}: skipped (no 2-D image with a TAN WCS in the primary HDU)`);
      continue;
    }
    frames.push({ path, wcs: readWcs(header, { onWarning: warn }), width, height });
  }
  return frames;
}

/**
 * The size×size cutout centred on the pixel nearest the position (the position falls within
 * half a pixel of the cutout's centre pixel), or undefined when no frame contains it.
 */
export function cutLocal(
  frames: readonly LocalFrame[],
  position: SkyPosition,
  size: number,
  cache: Map<string, { image: Image; header: Header }>,
): LocalCutout | undefined {
  for (const frame of frames) {
    const { x, y } = skyToPixel(frame.wcs, position);
    if (!(x >= -0.5 && x < frame.width - 0.5 && y >= -0.5 && y < frame.height - 0.5)) continue;
    let loaded = cache.get(frame.path);
    if (loaded === undefined) {
      loaded = readFitsImage(frame.path);
      cache.set(frame.path, loaded);
    }
    // Pixel (x0, y0) of the frame becomes pixel (0, 0) of the cutout; for even sizes the
    // position sits half a pixel left/below the geometric centre, as in numpy slicing.
    const x0 = Math.round(x) - Math.floor(size / 2);
    const y0 = Math.round(y) - Math.floor(size / 2);
    const data = new Float64Array(size * size).fill(Number.NaN);
    const source = loaded.image;
    for (let j = 0; j < size; j++) {
      const ys = y0 + j;
      if (ys < 0 || ys >= source.height) continue;
      for (let i = 0; i < size; i++) {
        const xs = x0 + i;
        if (xs >= 0 && xs < source.width) data[j * size + i] = source.data[ys * source.width + xs]!;
      }
    }
    // Shifting CRPIX alone moves the WCS with the cut (CD, PC/CDELT and SIP terms are
    // relative to CRPIX, so they stay valid).
    const header = loaded.header.clone();
    header.set('CRPIX1', frame.wcs.crpix[0] - x0, 'reference pixel, axis 1 (cutout)', { real: true });
    header.set('CRPIX2', frame.wcs.crpix[1] - y0, 'reference pixel, axis 2 (cutout)', { real: true });
    header.set('LTV1', -x0, 'IRAF: cutout x = original x + LTV1');
    header.set('LTV2', -y0, 'IRAF: cutout y = original y + LTV2');
    return { image: { width: size, height: size, data }, header, file: frame.path };
  }
  return undefined;
}
