/**
 * Reading binary tables into typed columns: numbers as typed arrays (TSCAL/TZERO applied),
 * strings as `string[]`, logicals as `(boolean | null)[]`. Fixed-size array columns are
 * flattened row by row (`values[row * repeat + k]`).
 */
import { FitsError } from './errors.js';
import type { Header } from './header.js';
import { type FitsReader, type HduInfo, type HduSelector, withFits } from './reader.js';
import { type ColumnFormat, parseTform } from './table-format.js';

export type ColumnValues =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | string[]
  | (boolean | null)[];

export interface TableColumn {
  readonly name: string;
  /** TFORMn as written, e.g. `1E`, `20A`, `3D`. */
  readonly format: string;
  readonly unit: string | undefined;
  /** Elements per row (1 for scalars; the string length for `A` columns is in `format`). */
  readonly repeat: number;
  readonly values: ColumnValues;
}

export interface FitsTable {
  readonly rows: number;
  readonly columns: readonly TableColumn[];
  readonly header: Header;
  readonly hdu: number;
  readonly extname: string | undefined;
}

/** Read a binary table (default: the first binary-table HDU). */
export function readFitsTable(path: string, options: { hdu?: HduSelector } = {}): FitsTable {
  return withFits(path, (reader) => {
    const info = options.hdu === undefined ? firstTable(reader) : reader.hdu(options.hdu);
    return readTableFrom(reader, info);
  });
}

/** The column named `name` (case-insensitive), or a FitsError listing the names. */
export function tableColumn(table: FitsTable, name: string): TableColumn {
  const found = table.columns.find((c) => c.name.toUpperCase() === name.toUpperCase());
  if (found === undefined) {
    throw new FitsError(
      {
        file: table.header.location?.file ?? '(table)',
        hdu: table.hdu,
        ...(table.extname === undefined ? {} : { extname: table.extname }),
      },
      `there is no column '${name}'`,
      `Columns: ${table.columns.map((c) => c.name).join(', ')}`,
    );
  }
  return found;
}

/** Column layout of a binary-table header. */
export interface ColumnLayout {
  readonly name: string;
  readonly tform: string;
  readonly format: ColumnFormat;
  /** Byte offset of the field within a row. */
  readonly offset: number;
  readonly unit: string | undefined;
  readonly tscal: number;
  readonly tzero: number;
  readonly tnull: number | undefined;
}

export function columnLayout(info: HduInfo): ColumnLayout[] {
  const { header } = info;
  if (info.kind !== 'bintable' && info.kind !== 'compressed-image') {
    throw new FitsError(
      info.location,
      `this HDU is a ${info.kind}, not a binary table`,
      'Select a BINTABLE HDU',
    );
  }
  const fields = header.getInteger('TFIELDS') ?? 0;
  const rowBytes = info.axes[0] ?? 0;
  const layout: ColumnLayout[] = [];
  let offset = 0;
  for (let i = 1; i <= fields; i++) {
    const tform = header.getString(`TFORM${i}`) ?? '';
    const format = parseTform(tform);
    if (format === undefined) {
      throw new FitsError(
        info.location,
        `TFORM${i} = '${tform}' is not a valid binary-table format`,
        'Repair the header',
      );
    }
    layout.push({
      name: header.getString(`TTYPE${i}`)?.trim() ?? `COL${i}`,
      tform: tform.trim(),
      format,
      offset,
      unit: header.getString(`TUNIT${i}`),
      tscal: header.getNumber(`TSCAL${i}`) ?? 1,
      tzero: header.getNumber(`TZERO${i}`) ?? 0,
      tnull: header.getInteger(`TNULL${i}`),
    });
    offset += format.width;
  }
  if (offset !== rowBytes) {
    throw new FitsError(
      info.location,
      `the columns take ${offset} bytes per row but NAXIS1 = ${rowBytes}`,
      'Repair TFORMn or NAXIS1',
    );
  }
  return layout;
}

/** Read every column of a binary-table HDU (the heap only for variable-length columns, which are refused). */
export function readTableFrom(reader: FitsReader, info: HduInfo): FitsTable {
  const layout = columnLayout(info);
  const [rowBytes = 0, rows = 0] = info.axes;
  const bytes = reader.readBytes(info.dataOffset, rowBytes * rows, info.location);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const columns = layout.map((column) => {
    if (
      column.format.type === 'P' ||
      column.format.type === 'Q' ||
      column.format.type === 'C' ||
      column.format.type === 'M'
    ) {
      throw new FitsError(
        info.location,
        `column '${column.name}' has format ${column.tform}, which is not supported (variable-length and complex columns)`,
        'Convert the table with astropy or select other columns',
      );
    }
    return {
      name: column.name,
      format: column.tform,
      unit: column.unit,
      repeat: column.format.type === 'A' ? 1 : column.format.repeat,
      values: decodeColumn(view, rowBytes, rows, column),
    };
  });
  return { rows, columns, header: info.header, hdu: info.index, extname: info.extname };
}

function firstTable(reader: FitsReader): HduInfo {
  const found = reader.hdus().find((h) => h.kind === 'bintable');
  if (found === undefined)
    throw new FitsError(
      { file: reader.path },
      'no HDU is a binary table',
      'List the HDUs with `asterism fits info FILE`',
    );
  return found;
}

function decodeColumn(view: DataView, rowBytes: number, rows: number, column: ColumnLayout): ColumnValues {
  const { type, repeat } = column.format;
  const n = rows * repeat;
  const at = (row: number, k: number, size: number): number => row * rowBytes + column.offset + k * size;
  if (type === 'A') {
    const out: string[] = [];
    const decoder = new TextDecoder('latin1');
    for (let r = 0; r < rows; r++) {
      const start = view.byteOffset + at(r, 0, 1);
      const text = decoder.decode(new Uint8Array(view.buffer, start, repeat));
      const nul = text.indexOf('\0');
      out.push((nul < 0 ? text : text.slice(0, nul)).trimEnd());
    }
    return out;
  }
  if (type === 'L') {
    const out: (boolean | null)[] = [];
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < repeat; k++) {
        const c = view.getUint8(at(r, k, 1));
        out.push(c === 0x54 ? true : c === 0x46 ? false : null);
      }
    }
    return out;
  }
  if (type === 'X') {
    const out = new Uint8Array(n);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < repeat; k++)
        out[r * repeat + k] = (view.getUint8(at(r, k >> 3, 1)) >> (7 - (k & 7))) & 1;
    }
    return out;
  }
  const { tscal, tzero, tnull } = column;
  const read = reader(view, type);
  const size = { B: 1, I: 2, J: 4, K: 8, E: 4, D: 8 }[type as 'B'];
  const scaled = tscal !== 1 || tzero !== 0 || tnull !== undefined;
  // Unsigned and signed-byte conventions map exactly onto typed arrays (Standard table 19).
  const unsigned =
    tscal === 1 && tnull === undefined
      ? (type === 'I' && tzero === 32768 && new Uint16Array(n)) ||
        (type === 'J' && tzero === 2147483648 && new Uint32Array(n)) ||
        (type === 'B' && tzero === -128 && new Int8Array(n)) ||
        undefined
      : undefined;
  if (unsigned !== undefined) {
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < repeat; k++) unsigned[r * repeat + k] = Number(read(at(r, k, size))) + tzero;
    return unsigned;
  }
  if (scaled) {
    const out = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < repeat; k++) {
        const v = Number(read(at(r, k, size)));
        out[r * repeat + k] = tnull !== undefined && v === tnull ? Number.NaN : tzero + tscal * v;
      }
    }
    return out;
  }
  const out = allocate(type, n);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < repeat; k++) out[r * repeat + k] = read(at(r, k, size)) as never;
  return out;
}

function reader(view: DataView, type: string): (offset: number) => number | bigint {
  switch (type) {
    case 'B':
      return (o) => view.getUint8(o);
    case 'I':
      return (o) => view.getInt16(o);
    case 'J':
      return (o) => view.getInt32(o);
    case 'K':
      return (o) => view.getBigInt64(o);
    case 'E':
      return (o) => view.getFloat32(o);
    default:
      return (o) => view.getFloat64(o);
  }
}

function allocate(
  type: string,
  n: number,
): Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array {
  switch (type) {
    case 'B':
      return new Uint8Array(n);
    case 'I':
      return new Int16Array(n);
    case 'J':
      return new Int32Array(n);
    case 'K':
      return new BigInt64Array(n);
    case 'E':
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}
