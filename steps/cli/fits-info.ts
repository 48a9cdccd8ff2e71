/** `asterism fits info`: what each HDU of a FITS file holds, with statistics of the image data. */
import { type FitsReader, type HduInfo, readArrayFrom, readImageArray, withFits } from '../lib/fits/index.js';

/** Statistics over an image's data; min, max, mean and std over finite values, `nan` counts NaNs. */
export interface PixelStats {
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Population standard deviation (numpy's `std`, ddof = 0). */
  readonly std: number | null;
  readonly nan: number;
}

/** One HDU as `fits info --json` reports it. */
export interface HduSummary {
  readonly index: number;
  readonly extname: string | null;
  readonly type: 'image' | 'bintable' | 'compressed-image' | 'table' | 'other';
  /** For compressed images, the BITPIX of the image inside (ZBITPIX). */
  readonly bitpix: number;
  /** FITS order: [NAXIS1, NAXIS2, ...]; for compressed images the image axes (ZNAXISn). */
  readonly axes: readonly number[];
  readonly stats?: PixelStats;
  /** For binary tables: the rows and columns. */
  readonly rows?: number;
  readonly columns?: readonly {
    readonly name: string;
    readonly format: string;
    readonly unit: string | null;
  }[];
}

export function pixelStats(data: Float32Array | Float64Array): PixelStats {
  let n = 0;
  let nan = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of data) {
    if (Number.isNaN(v)) nan++;
    else if (Number.isFinite(v)) {
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) return { min: null, max: null, mean: null, std: null, nan };
  const mean = sum / n;
  // Second pass for the variance: no cancellation when the mean is large against the spread.
  let squares = 0;
  for (const v of data) if (Number.isFinite(v)) squares += (v - mean) * (v - mean);
  return { min, max, mean, std: Math.sqrt(squares / n), nan };
}

/** Summaries of every HDU; `withStats` reads each image's data to compute them. */
export function summarizeFits(path: string, withStats = true): HduSummary[] {
  return withFits(path, (reader) => reader.hdus().map((info) => summarizeHdu(reader, info, withStats)));
}

function summarizeHdu(reader: FitsReader, info: HduInfo, withStats: boolean): HduSummary {
  const base = { index: info.index, extname: info.extname ?? null, type: info.kind };
  if (info.kind === 'compressed-image') {
    const h = info.header;
    const axes = Array.from(
      { length: h.getInteger('ZNAXIS') ?? 0 },
      (_, i) => h.getInteger(`ZNAXIS${i + 1}`) ?? 0,
    );
    const summary = { ...base, bitpix: h.getInteger('ZBITPIX') ?? 0, axes };
    return withStats ? { ...summary, stats: pixelStats(readImageArray(reader, info.index).data) } : summary;
  }
  const summary = { ...base, bitpix: info.bitpix, axes: info.axes };
  if (info.kind === 'image' && info.dataBytes > 0 && withStats) {
    return { ...summary, stats: pixelStats(physicalValues(reader, info)) };
  }
  if (info.kind === 'bintable') {
    const h = info.header;
    const columns = Array.from({ length: h.getInteger('TFIELDS') ?? 0 }, (_, i) => ({
      name: h.getString(`TTYPE${i + 1}`) ?? `COL${i + 1}`,
      format: h.getString(`TFORM${i + 1}`) ?? '',
      unit: h.getString(`TUNIT${i + 1}`) ?? null,
    }));
    return { ...summary, rows: info.axes[1] ?? 0, columns };
  }
  return summary;
}

/**
 * An image's physical values. Unscaled float32 data is read as it is stored (half the memory and
 * time of float64; every float32 is exact as a double, so the statistics are the same); anything
 * else goes through the float64 path, which applies BSCALE/BZERO in float64.
 */
function physicalValues(reader: FitsReader, info: HduInfo): Float32Array | Float64Array {
  const unscaled =
    (info.header.getNumber('BSCALE') ?? 1) === 1 && (info.header.getNumber('BZERO') ?? 0) === 0;
  if (info.bitpix === -32 && unscaled) {
    const { data } = readArrayFrom(reader, { hdu: info.index });
    if (data instanceof Float32Array) return data;
  }
  return readImageArray(reader, info.index).data;
}

/** A readable table of the summaries. */
export function formatSummaries(path: string, summaries: readonly HduSummary[]): string {
  const rows = summaries.map((s) => [
    String(s.index),
    s.extname ?? '',
    s.type,
    String(s.bitpix),
    s.axes.length === 0 ? '-' : s.axes.join('×'),
    s.stats === undefined
      ? s.rows === undefined
        ? ''
        : `${s.rows} rows: ${(s.columns ?? []).map((c) => `${c.name}(${c.format})`).join(', ')}`
      : `min ${fmt(s.stats.min)}  max ${fmt(s.stats.max)}  mean ${fmt(s.stats.mean)}  std ${fmt(s.stats.std)}  NaN ${s.stats.nan}`,
  ]);
  const head = ['HDU', 'EXTNAME', 'TYPE', 'BITPIX', 'AXES', 'CONTENT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${path}: ${summaries.length} HDU${summaries.length === 1 ? '' : 's'}\n${[head, ...rows].map(line).join('\n')}\n`;
}

function fmt(v: number | null): string {
  if (v === null) return '-';
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(4)
    : String(Number(v.toPrecision(6)));
}
