/** Header and data plan of an image HDU to be written. */
import type { Card } from './card.js';
import { FitsError, type FitsLocation } from './errors.js';
import type { CardInit, Header } from './header.js';
import {
  type Bitpix,
  defaultStorage,
  encodePixels,
  type ImageData,
  type ImageStorage,
  imageAxes,
} from './image-encode.js';
import { userCards } from './reserved.js';

/** What `writeFits` needs of any HDU: its cards (without checksums and END) and its data bytes. */
export interface HduPlan {
  readonly cards: readonly Card[];
  readonly dataBytes: number;
  chunks(): Iterable<Uint8Array>;
}

/** An image HDU to write. Omit `data` for an empty HDU (e.g. a primary in front of extensions). */
export interface ImageHduSpec {
  readonly type?: 'image';
  readonly data?: ImageData;
  /**
   * How to store the pixels. Default: the array's own type (Float64Array and `Image` → -64,
   * Float32Array → -32, Uint16Array → 16 with BZERO 32768, ...).
   */
  readonly bitpix?: Bitpix;
  /** Integer BITPIX only: physical = BZERO + BSCALE × stored. @default 1 */
  readonly bscale?: number;
  /** Integer BITPIX only. @default 0 (32768 for Uint16Array data, ...) */
  readonly bzero?: number;
  /** Integer BITPIX only: the stored value for NaN pixels. Default: the type's minimum when NaNs occur. */
  readonly blank?: number;
  readonly extname?: string;
  readonly extver?: number;
  /** Physical unit of the pixel values, e.g. `adu`, `electron/s`, `G`. */
  readonly bunit?: string;
  /** More cards: WCS, provenance, a header read from another file (structural cards are dropped). */
  readonly cards?: Iterable<CardInit | Card> | Header;
}

const TYPE_MIN: Record<number, number> = { 8: 0, 16: -32768, 32: -2147483648, 64: -(2 ** 63) };

export function planImage(
  spec: ImageHduSpec,
  index: number,
  hasExtensions: boolean,
  location: FitsLocation,
): HduPlan {
  const { axes, values } =
    spec.data === undefined ? { axes: [] as number[], values: new Float64Array(0) } : imageAxes(spec.data);
  const count = axes.reduce((a, b) => a * b, axes.length === 0 ? 0 : 1);
  if (spec.data !== undefined && count !== values.length) {
    throw new FitsError(
      location,
      `axes [${axes.join(', ')}] hold ${count} pixels but the array has ${values.length}`,
    );
  }
  if (axes.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new FitsError(location, `axes [${axes.join(', ')}] must be non-negative integers`);
  }
  const storage = resolveStorage(spec, values, location);
  const cards: Card[] = [];
  const add = (keyword: string, value: string | number | boolean, comment: string, isReal = false): void => {
    cards.push({ keyword, value, comment, ...(isReal ? { isReal } : {}) });
  };
  if (index === 0) add('SIMPLE', true, 'conforms to FITS standard');
  else add('XTENSION', 'IMAGE', 'image extension');
  add('BITPIX', storage.bitpix, 'array data type');
  add('NAXIS', axes.length, 'number of array dimensions');
  for (const [i, n] of axes.entries()) add(`NAXIS${i + 1}`, n, '');
  if (index === 0) {
    if (hasExtensions) add('EXTEND', true, 'extensions may follow');
  } else {
    add('PCOUNT', 0, 'number of parameters');
    add('GCOUNT', 1, 'number of groups');
  }
  if (storage.bitpix > 0 && count > 0) {
    if (storage.bscale !== 1) add('BSCALE', storage.bscale, 'physical = BZERO + BSCALE * stored', true);
    if (storage.bzero !== 0) add('BZERO', storage.bzero, 'physical = BZERO + BSCALE * stored');
    if (storage.blank !== undefined) add('BLANK', storage.blank, 'stored value of undefined pixels');
  }
  const drop = new Set<string>();
  if (spec.extname !== undefined) {
    add('EXTNAME', spec.extname, 'extension name');
    drop.add('EXTNAME');
  }
  if (spec.extver !== undefined) {
    add('EXTVER', spec.extver, 'extension version');
    drop.add('EXTVER');
  }
  if (spec.bunit !== undefined) {
    add('BUNIT', spec.bunit, 'physical unit of the pixel values');
    drop.add('BUNIT');
  }
  if (index === 0) drop.add('EXTEND');
  cards.push(...userCards(spec.cards, drop));
  const bytesPerPixel = Math.abs(storage.bitpix) / 8;
  return {
    cards,
    dataBytes: count * bytesPerPixel,
    chunks: () => (count === 0 ? [] : encodePixels(values, storage, location)),
  };
}

function resolveStorage(spec: ImageHduSpec, values: ImageData['data'], location: FitsLocation): ImageStorage {
  const natural = defaultStorage(values);
  const bitpix = spec.bitpix ?? natural.bitpix;
  if (bitpix < 0) {
    if ((spec.bscale ?? 1) !== 1 || (spec.bzero ?? 0) !== 0 || spec.blank !== undefined) {
      throw new FitsError(
        location,
        `bscale, bzero and blank apply to integer BITPIX only, not ${bitpix}`,
        'Drop them, or choose an integer BITPIX',
      );
    }
    return { bitpix, bscale: 1, bzero: 0, blank: undefined };
  }
  const bzero =
    spec.bzero ?? (spec.bitpix === undefined || spec.bitpix === natural.bitpix ? natural.bzero : 0);
  const bscale = spec.bscale ?? 1;
  if (!Number.isFinite(bscale) || bscale === 0 || !Number.isFinite(bzero)) {
    throw new FitsError(location, `bscale ${bscale} and bzero ${bzero} must be finite and bscale non-zero`);
  }
  let blank = spec.blank;
  if (blank === undefined && !(values instanceof BigInt64Array) && values.some((v) => Number.isNaN(v))) {
    blank = TYPE_MIN[bitpix];
  }
  return { bitpix, bscale, bzero, blank };
}
