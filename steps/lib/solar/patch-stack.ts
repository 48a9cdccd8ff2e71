/**
 * Magnetogram patch stacks on disk: what prepare-patches writes and train-gan, sample-latents
 * and physical-parameters read.
 *
 * A stack is one FITS image cube, NAXIS1 = width, NAXIS2 = height, NAXIS3 = patch count (numpy
 * shape (N, H, W)), float32, BUNIT `kG`, with PIXSIZMM (Mm per pixel) when known. A folder of
 * 2-D FITS files (SHARP `Br` cut-outs, simulate-active-regions' output) is also readable as a
 * list of patches of possibly different sizes.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type CardInit,
  type Header,
  readFitsImage,
  readImageArray,
  withFits,
  writeFits,
} from '../fits/index.js';
import type { Image } from '../image/types.js';
import { MM_PER_HELIOGRAPHIC_DEG } from './units.js';

/** Same-size patches back to back. */
export interface PatchStack {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  /** count × height × width values, row-major per patch. */
  readonly data: Float32Array;
  /** Unit of the values as BUNIT spells it (`kG`, `G`), or undefined. */
  readonly unit: string | undefined;
  /** Mm per pixel, when the header says. */
  readonly pixelSizeMm: number | undefined;
}

/** One patch read from a folder of 2-D files. */
export interface NamedPatch {
  readonly name: string;
  readonly path: string;
  readonly image: Image;
  readonly unit: string | undefined;
  readonly pixelSizeMm: number | undefined;
}

/** A path that is neither a stack nor a folder of FITS files. */
export class PatchInputError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'PatchInputError';
    this.path = path;
  }
}

const FITS_NAME = /^(.*)\.(fits|fit|fts)$/i;

/**
 * Mm per pixel from a header: PIXSIZMM if present, else CDELT1 of a CEA (heliographic degrees)
 * map such as a SHARP cut-out.
 */
export function pixelSizeMmOf(header: Header): number | undefined {
  const direct = header.getNumber('PIXSIZMM');
  if (direct !== undefined) return direct;
  const ctype = header.getString('CTYPE1') ?? '';
  const cdelt = header.getNumber('CDELT1');
  if (cdelt !== undefined && /-CEA$/.test(ctype.trim())) return Math.abs(cdelt) * MM_PER_HELIOGRAPHIC_DEG;
  return undefined;
}

/** True when `path` is a folder (of FITS files) rather than one file. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new PatchInputError(path, 'no such file or folder');
  }
}

/** The FITS files of a folder, sorted by name. */
export function listPatchFiles(folder: string): { name: string; path: string }[] {
  const files = readdirSync(folder)
    .map((name) => ({ name, match: FITS_NAME.exec(name) }))
    .filter((e) => e.match !== null && !e.name.startsWith('.'))
    .map((e) => ({ name: e.match?.[1] ?? e.name, path: join(folder, e.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length === 0) throw new PatchInputError(folder, 'the folder holds no .fits/.fit files');
  return files;
}

/** Read every 2-D patch of a folder, one at a time (for callers that stream). */
export function* readPatchFolder(folder: string): Generator<NamedPatch> {
  for (const { name, path } of listPatchFiles(folder)) {
    const { image, header } = readFitsImage(path);
    yield { name, path, image, unit: header.getString('BUNIT')?.trim(), pixelSizeMm: pixelSizeMmOf(header) };
  }
}

/** Read a cube written by {@link writePatchStack} (or any 3-D image, or one 2-D image as a stack of one). */
export function readPatchStack(path: string): PatchStack {
  return withFits(path, (reader) => {
    const { axes, data, header } = readImageArray(reader, 0);
    const [width = 0, height = 1, count = 1, ...rest] = axes.length === 0 ? [0] : axes;
    if (axes.length < 2 || rest.some((n) => n !== 1)) {
      throw new PatchInputError(
        path,
        `expected a 2-D image or a 3-D cube of patches in the primary HDU, got axes [${axes.join(', ')}]`,
      );
    }
    return {
      width,
      height,
      count,
      data: Float32Array.from(data),
      unit: header.getString('BUNIT')?.trim(),
      pixelSizeMm: pixelSizeMmOf(header),
    };
  });
}

/** Write a stack as a float32 cube with BUNIT and, when known, PIXSIZMM. */
export function writePatchStack(
  path: string,
  stack: Omit<PatchStack, 'unit'> & { readonly unit: string },
  cards: readonly CardInit[] = [],
): void {
  const extra: CardInit[] = [];
  if (stack.pixelSizeMm !== undefined) {
    extra.push({ keyword: 'PIXSIZMM', value: stack.pixelSizeMm, real: true, comment: 'pixel size, Mm' });
  }
  writeFits(path, [
    {
      data: { axes: [stack.width, stack.height, stack.count], data: stack.data },
      bitpix: -32,
      bunit: stack.unit,
      cards: [...extra, ...cards],
    },
  ]);
}

/** Factor that turns values in `unit` into kG: 1 for kG (or no unit), 1e−3 for G. */
export function toKiloGaussFactor(unit: string | undefined, path: string): number {
  const u = (unit ?? 'kG').trim();
  if (u === '' || /^kG$/i.test(u) || /^kilogauss$/i.test(u)) return 1;
  if (/^(G|gauss|Mx\/cm\^?2)$/i.test(u)) return 1e-3;
  throw new PatchInputError(
    basename(path),
    `BUNIT is \`${u}\`; expected G or kG for a radial-field magnetogram (set \`unit\` to override)`,
  );
}
