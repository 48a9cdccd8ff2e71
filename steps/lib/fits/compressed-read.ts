/**
 * Tile-compressed images (the FITS tiled-image convention, registered in FITS Standard 4.0
 * section 10): a BINTABLE with ZIMAGE = T whose rows are compressed tiles. RICE_1, GZIP_1 and
 * GZIP_2 are decoded; floating-point images quantized with NO_DITHER, SUBTRACTIVE_DITHER_1 or
 * SUBTRACTIVE_DITHER_2 are restored with the convention's dither sequence.
 */
import { gunzipSync } from 'node:zlib';
import type { Card } from './card.js';
import { FitsError } from './errors.js';
import { type CardInit, Header } from './header.js';
import { decodeChunk } from './image-data.js';
import type { ImageArray } from './image-read.js';
import { scalingOf } from './image-read.js';
import type { FitsReader, HduInfo } from './reader.js';
import { isReservedKeyword } from './reserved.js';
import { riceDecode } from './rice.js';
import { type ColumnLayout, columnLayout } from './table-read.js';

/** Stored integer meaning "undefined pixel" in quantized tiles. */
const NULL_VALUE = -2147483647;
/** Stored integer meaning "exactly zero" with SUBTRACTIVE_DITHER_2. */
const ZERO_VALUE = -2147483646;
const N_RANDOM = 10000;

let randomSequence: Float32Array | undefined;

/**
 * The convention's 10,000 uniform deviates: the Park & Miller (1988) minimal standard generator,
 * a = 16807, m = 2^31 - 1, seed 1, r_i = seed_i / m, stored in single precision as cfitsio
 * does (so the restored values round to the same float32 as cfitsio's).
 */
export function ditherSequence(): Float32Array {
  if (randomSequence !== undefined) return randomSequence;
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  const values = new Float32Array(N_RANDOM);
  for (let i = 0; i < N_RANDOM; i++) {
    const temp = a * seed;
    seed = temp - m * Math.floor(temp / m);
    values[i] = seed / m;
  }
  randomSequence = values;
  return values;
}

/** Decompress a whole tile-compressed image HDU. */
export function readCompressedImage(
  reader: FitsReader,
  info: HduInfo,
): { array: ImageArray; header: Header } {
  const table = info.header;
  const fail = (problem: string, hint = 'Decompress it with `funpack FILE` and read the result'): FitsError =>
    new FitsError(info.location, problem, hint);
  const zbitpix = table.getInteger('ZBITPIX');
  const znaxis = table.getInteger('ZNAXIS');
  if (zbitpix === undefined || znaxis === undefined)
    throw fail('ZIMAGE = T but ZBITPIX or ZNAXIS is missing');
  const axes: number[] = [];
  const tile: number[] = [];
  for (let i = 1; i <= znaxis; i++) {
    const n = table.getInteger(`ZNAXIS${i}`);
    if (n === undefined) throw fail(`ZNAXIS = ${znaxis} but ZNAXIS${i} is missing`);
    axes.push(n);
    tile.push(table.getInteger(`ZTILE${i}`) ?? (i === 1 ? n : 1));
  }
  const cmp = (table.getString('ZCMPTYPE') ?? '').trim().toUpperCase();
  if (!['RICE_1', 'RICE_ONE', 'GZIP_1', 'GZIP_2', 'NOCOMPRESS'].includes(cmp)) {
    throw fail(`compression ${cmp || '(missing ZCMPTYPE)'} is not supported (only RICE_1, GZIP_1, GZIP_2)`);
  }
  const parameters = new Map<string, number>();
  for (let i = 1; table.has(`ZNAME${i}`); i++) {
    const value = table.get(`ZVAL${i}`);
    if (typeof value === 'number')
      parameters.set((table.getString(`ZNAME${i}`) ?? '').trim().toUpperCase(), value);
  }
  const blockSize = parameters.get('BLOCKSIZE') ?? 32;
  const bytePix = parameters.get('BYTEPIX') ?? 4;
  const quantize = (table.getString('ZQUANTIZ') ?? 'NO_DITHER').trim().toUpperCase();
  const ditherSeed = table.getInteger('ZDITHER0') ?? 1;
  const header = imageHeader(table, info);

  const layout = columnLayout(info);
  const column = (name: string): ColumnLayout | undefined =>
    layout.find((c) => c.name.toUpperCase() === name);
  const compressed = column('COMPRESSED_DATA');
  const gzipped = column('GZIP_COMPRESSED_DATA');
  const uncompressed = column('UNCOMPRESSED_DATA');
  const zscaleColumn = column('ZSCALE');
  const zzeroColumn = column('ZZERO');
  const zblankColumn = column('ZBLANK');
  if (compressed === undefined) throw fail('the COMPRESSED_DATA column is missing');

  const [rowBytes = 0, rows = 0] = info.axes;
  const heapOffset = table.getInteger('THEAP') ?? rowBytes * rows;
  const all = reader.readBytes(info.dataOffset, info.dataBytes, info.location);
  const view = new DataView(all.buffer, all.byteOffset, all.byteLength);
  const heapBytes = (row: number, c: ColumnLayout): Uint8Array | undefined => {
    const at = row * rowBytes + c.offset;
    const isQ = c.format.type === 'Q';
    const count = isQ ? Number(view.getBigInt64(at)) : view.getInt32(at);
    const offset = isQ ? Number(view.getBigInt64(at + 8)) : view.getInt32(at + 4);
    if (count === 0) return undefined;
    const start = heapOffset + offset;
    if (start + count > all.length)
      throw fail(`tile ${row + 1} points past the end of the heap`, 'The file is corrupt or truncated');
    return all.subarray(start, start + count);
  };
  const rowNumber = (row: number, c: ColumnLayout | undefined): number | undefined => {
    if (c === undefined) return undefined;
    const at = row * rowBytes + c.offset;
    return c.format.type === 'D'
      ? view.getFloat64(at)
      : c.format.type === 'E'
        ? view.getFloat32(at)
        : view.getInt32(at);
  };

  const total = axes.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  const tilesPerAxis = axes.map((n, i) => Math.ceil(n / tile[i]!));
  const scaling = scalingOf(header, zbitpix);
  const random = ditherSequence();
  for (let row = 0; row < rows; row++) {
    // Tile shape and origin: tiles run along NAXIS1 first.
    const origin: number[] = [];
    const shape: number[] = [];
    let rest = row;
    for (let i = 0; i < znaxis; i++) {
      const k = rest % tilesPerAxis[i]!;
      rest = Math.floor(rest / tilesPerAxis[i]!);
      origin.push(k * tile[i]!);
      shape.push(Math.min(tile[i]!, axes[i]! - k * tile[i]!));
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(n);
    const zscale = rowNumber(row, zscaleColumn) ?? table.getNumber('ZSCALE');
    const zzero = rowNumber(row, zzeroColumn) ?? table.getNumber('ZZERO') ?? 0;
    const zblank = rowNumber(row, zblankColumn) ?? table.getInteger('ZBLANK');
    const bytes = heapBytes(row, compressed);
    try {
      if (bytes !== undefined && zbitpix < 0 && zscale !== undefined) {
        const ints = decodeIntegers(bytes, cmp, n, blockSize, 4);
        dequantize(
          ints,
          values,
          zscale,
          zzero,
          zblank ?? NULL_VALUE,
          quantize,
          row + 1 + ditherSeed - 1,
          random,
        );
      } else if (bytes !== undefined) {
        const elementBytes = cmp.startsWith('RICE') ? bytePix : Math.abs(zbitpix) / 8;
        if (cmp.startsWith('RICE')) {
          const ints = riceDecode(bytes, n, blockSize, bytePix);
          applyIntegerScaling(ints, values, { ...scaling, blank: zblank ?? scaling.blank });
        } else {
          const raw = inflate(bytes, cmp, elementBytes);
          decodeChunk(
            Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
            zbitpix,
            n,
            { ...scaling, blank: zblank ?? scaling.blank },
            values,
            0,
          );
        }
      } else {
        // Tiles that could not be compressed or quantized are stored losslessly in side columns.
        const fallback =
          (gzipped && heapBytes(row, gzipped)) || (uncompressed && heapBytes(row, uncompressed));
        if (fallback === undefined)
          throw fail(`tile ${row + 1} has no data in any column`, 'The file is corrupt');
        const raw =
          gzipped !== undefined && heapBytes(row, gzipped) !== undefined
            ? inflate(fallback, 'GZIP_1', 0)
            : fallback;
        const copy = Buffer.from(raw);
        decodeChunk(copy, zbitpix, n, scaling, values, 0);
      }
    } catch (error) {
      if (error instanceof FitsError) throw error;
      throw fail(
        `tile ${row + 1} cannot be decompressed (${(error as Error).message})`,
        'The file is corrupt or truncated; try `funpack` to confirm',
      );
    }
    placeTile(values, out, axes, origin, shape);
  }
  return { array: { axes, data: out }, header };
}

function decodeIntegers(
  bytes: Uint8Array,
  cmp: string,
  n: number,
  blockSize: number,
  bytePix: number,
): Int32Array {
  if (cmp.startsWith('RICE')) return riceDecode(bytes, n, blockSize, bytePix);
  const raw = inflate(bytes, cmp, 4);
  const copy = Buffer.from(raw);
  copy.swap32();
  return new Int32Array(copy.buffer, copy.byteOffset, n);
}

function inflate(bytes: Uint8Array, cmp: string, elementBytes: number): Uint8Array {
  if (cmp === 'NOCOMPRESS') return bytes;
  const raw = gunzipSync(bytes);
  if (cmp !== 'GZIP_2' || elementBytes <= 1) return raw;
  // GZIP_2 shuffles bytes: all most-significant bytes first, then the next, ...
  const n = raw.length / elementBytes;
  const out = new Uint8Array(raw.length);
  for (let b = 0; b < elementBytes; b++)
    for (let i = 0; i < n; i++) out[i * elementBytes + b] = raw[b * n + i]!;
  return out;
}

/** Undo quantization: v = (I − r + 0.5) × ZSCALE + ZZERO with the dither r of the convention. */
function dequantize(
  ints: Int32Array,
  out: Float64Array,
  zscale: number,
  zzero: number,
  zblank: number,
  quantize: string,
  tileSeed: number,
  random: Float32Array,
): void {
  if (quantize === 'NO_DITHER') {
    for (let i = 0; i < ints.length; i++)
      out[i] = ints[i] === zblank ? Number.NaN : ints[i]! * zscale + zzero;
    return;
  }
  // The first deviate of tile k (1-based) is r[(k + ZDITHER0 - 2) mod 10000]; it picks where to start.
  let seedIndex = (tileSeed - 1) % N_RANDOM;
  let next = Math.floor(random[seedIndex]! * 500);
  const keepZero = quantize === 'SUBTRACTIVE_DITHER_2';
  for (let i = 0; i < ints.length; i++) {
    const v = ints[i]!;
    if (v === zblank) out[i] = Number.NaN;
    else if (keepZero && v === ZERO_VALUE) out[i] = 0;
    else out[i] = (v - random[next]! + 0.5) * zscale + zzero;
    next += 1;
    if (next === N_RANDOM) {
      seedIndex = (seedIndex + 1) % N_RANDOM;
      next = Math.floor(random[seedIndex]! * 500);
    }
  }
}

function applyIntegerScaling(
  ints: Int32Array,
  out: Float64Array,
  scaling: { bscale: number; bzero: number; blank: number | undefined },
): void {
  const { bscale, bzero, blank } = scaling;
  for (let i = 0; i < ints.length; i++) out[i] = ints[i] === blank ? Number.NaN : bzero + bscale * ints[i]!;
}

/** Copy a tile (NAXIS1 fastest) into its place in the full array. */
function placeTile(
  tile: Float64Array,
  out: Float64Array,
  axes: readonly number[],
  origin: readonly number[],
  shape: readonly number[],
): void {
  const width = shape[0] ?? 1;
  const lines = tile.length / width;
  const index = new Array<number>(axes.length).fill(0);
  for (let line = 0; line < lines; line++) {
    let rest = line;
    let target = 0;
    let stride = 1;
    for (let i = 0; i < axes.length; i++) {
      let coordinate = origin[i]!;
      if (i > 0) {
        index[i] = rest % shape[i]!;
        rest = Math.floor(rest / shape[i]!);
        coordinate += index[i]!;
      }
      target += coordinate * stride;
      stride *= axes[i]!;
    }
    out.set(tile.subarray(line * width, (line + 1) * width), target);
  }
}

/** The header of the image inside: Z-keywords turned back into BITPIX, NAXISn, ... */
function imageHeader(table: Header, info: HduInfo): Header {
  const znaxis = table.getInteger('ZNAXIS') ?? 0;
  const cards: (Card | CardInit)[] = [
    { keyword: 'XTENSION', value: 'IMAGE' },
    { keyword: 'BITPIX', value: table.getInteger('ZBITPIX') ?? 0 },
    { keyword: 'NAXIS', value: znaxis },
  ];
  for (let i = 1; i <= znaxis; i++)
    cards.push({ keyword: `NAXIS${i}`, value: table.getInteger(`ZNAXIS${i}`) ?? 0 });
  for (const card of table.cards) {
    if (isReservedKeyword(card.keyword) && !['BSCALE', 'BZERO', 'BLANK'].includes(card.keyword)) continue;
    if (card.keyword === 'EXTNAME' && card.value === 'COMPRESSED_IMAGE') continue;
    cards.push(card);
  }
  return new Header(cards, info.location);
}
