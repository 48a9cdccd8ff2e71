/** Header and data plan of a binary table HDU to be written. */
import type { Card } from './card.js';
import { FitsError, type FitsLocation } from './errors.js';
import type { CardInit, Header } from './header.js';
import type { HduPlan } from './image-plan.js';
import { userCards } from './reserved.js';
import type { ColumnValues } from './table-read.js';

/** One column to write. The TFORM is inferred from the array type unless `format` is given. */
export interface ColumnSpec {
  readonly name: string;
  /**
   * The values, row by row; for fixed-size array columns `repeat` values per row. Float64Array → D,
   * Float32Array → E, Int32Array → J, Int16Array → I, Uint8Array → B, BigInt64Array → K,
   * Uint16Array/Uint32Array/Int8Array → I/J/B with the TZERO convention, string[] → A (width of
   * the longest string), boolean[] → L, number[] → D.
   */
  readonly values: ColumnValues | readonly number[] | readonly boolean[] | readonly string[];
  /** Elements per row. @default 1 */
  readonly repeat?: number;
  /** Physical unit (TUNITn), e.g. `pix`, `deg`, `adu`. */
  readonly unit?: string;
  /** String width for `string[]` columns. Default: the longest string (at least 1). */
  readonly width?: number;
}

export interface TableHduSpec {
  readonly type: 'bintable';
  readonly columns: readonly ColumnSpec[];
  readonly extname?: string;
  readonly extver?: number;
  /** More cards (structural and column keywords are dropped). */
  readonly cards?: Iterable<CardInit | Card> | Header;
}

interface PlannedColumn {
  readonly spec: ColumnSpec;
  readonly tform: string;
  readonly type: string;
  readonly repeat: number;
  readonly width: number;
  readonly tzero: number;
}

export function planTable(spec: TableHduSpec, _index: number, location: FitsLocation): HduPlan {
  const fail = (problem: string, hint?: string): FitsError => new FitsError(location, problem, hint);
  if (spec.columns.length === 0) throw fail('a binary table needs at least one column');
  const columns = spec.columns.map((column) => planColumn(column, fail));
  const rowCounts = columns.map((c) =>
    c.type === 'A' ? c.spec.values.length : c.spec.values.length / c.repeat,
  );
  const rows = rowCounts[0]!;
  for (const [i, count] of rowCounts.entries()) {
    if (!Number.isInteger(count) || count !== rows) {
      throw fail(
        `column '${columns[i]!.spec.name}' has ${count} rows but column '${columns[0]!.spec.name}' has ${rows}`,
        'Give every column the same number of rows (values = rows × repeat)',
      );
    }
  }
  const rowBytes = columns.reduce((sum, c) => sum + c.width, 0);
  const cards: Card[] = [];
  const add = (keyword: string, value: string | number | boolean, comment = ''): void => {
    cards.push({ keyword, value, comment });
  };
  add('XTENSION', 'BINTABLE', 'binary table extension');
  add('BITPIX', 8, 'array data type');
  add('NAXIS', 2, 'number of array dimensions');
  add('NAXIS1', rowBytes, 'length of a row in bytes');
  add('NAXIS2', rows, 'number of rows');
  add('PCOUNT', 0, 'number of parameters');
  add('GCOUNT', 1, 'number of groups');
  add('TFIELDS', columns.length, 'number of columns');
  for (const [i, column] of columns.entries()) {
    const n = i + 1;
    add(`TTYPE${n}`, column.spec.name);
    add(`TFORM${n}`, column.tform);
    if (column.spec.unit !== undefined) add(`TUNIT${n}`, column.spec.unit);
    if (column.tzero !== 0) add(`TZERO${n}`, column.tzero, 'unsigned/signed-byte convention');
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
  cards.push(...userCards(spec.cards, drop));
  return { cards, dataBytes: rowBytes * rows, chunks: () => encodeRows(columns, rows, rowBytes, fail) };
}

function planColumn(spec: ColumnSpec, fail: (p: string, h?: string) => FitsError): PlannedColumn {
  const { values } = spec;
  const repeat = spec.repeat ?? 1;
  const simple = (type: string, bytes: number, tzero = 0): PlannedColumn => ({
    spec,
    tform: `${repeat}${type}`,
    type,
    repeat,
    width: repeat * bytes,
    tzero,
  });
  if (values instanceof Float64Array) return simple('D', 8);
  if (values instanceof Float32Array) return simple('E', 4);
  if (values instanceof Int32Array) return simple('J', 4);
  if (values instanceof Int16Array) return simple('I', 2);
  if (values instanceof Uint8Array) return simple('B', 1);
  if (values instanceof BigInt64Array) return simple('K', 8);
  if (values instanceof Uint16Array) return simple('I', 2, 32768);
  if (values instanceof Uint32Array) return simple('J', 4, 2147483648);
  if (values instanceof Int8Array) return simple('B', 1, -128);
  const list = values as readonly unknown[];
  if (list.every((v) => typeof v === 'string')) {
    const strings = list as readonly string[];
    for (const s of strings) {
      if (!/^[\x20-\x7e]*$/.test(s))
        throw fail(
          `column '${spec.name}' has a string with characters outside printable ASCII: ${JSON.stringify(s)}`,
        );
    }
    const width = spec.width ?? Math.max(1, ...strings.map((s) => s.length));
    if (strings.some((s) => s.length > width))
      throw fail(`column '${spec.name}' has strings longer than its width ${width}`);
    return { spec, tform: `${width}A`, type: 'A', repeat: width, width, tzero: 0 };
  }
  if (list.every((v) => typeof v === 'boolean' || v === null)) return simple('L', 1);
  if (list.every((v) => typeof v === 'number')) return simple('D', 8);
  throw fail(
    `column '${spec.name}' mixes value types`,
    'Use one typed array, string[], boolean[] or number[] per column',
  );
}

function* encodeRows(
  columns: readonly PlannedColumn[],
  rows: number,
  rowBytes: number,
  fail: (p: string, h?: string) => FitsError,
): Generator<Uint8Array> {
  const rowsPerChunk = Math.max(1, Math.floor((1 << 20) / Math.max(1, rowBytes)));
  for (let start = 0; start < rows; start += rowsPerChunk) {
    const n = Math.min(rowsPerChunk, rows - start);
    const bytes = new Uint8Array(n * rowBytes);
    const view = new DataView(bytes.buffer);
    let offset = 0;
    for (const column of columns) {
      for (let r = 0; r < n; r++) writeField(view, bytes, r * rowBytes + offset, column, start + r, fail);
      offset += column.width;
    }
    yield bytes;
  }
}

function writeField(
  view: DataView,
  bytes: Uint8Array,
  at: number,
  column: PlannedColumn,
  row: number,
  fail: (p: string, h?: string) => FitsError,
): void {
  const values = column.spec.values;
  if (column.type === 'A') {
    const text = (values as readonly string[])[row]!.padEnd(column.width, ' ');
    for (let k = 0; k < column.width; k++) bytes[at + k] = text.charCodeAt(k);
    return;
  }
  for (let k = 0; k < column.repeat; k++) {
    const v = values[row * column.repeat + k];
    const o = at + k * (column.width / column.repeat);
    switch (column.type) {
      case 'L':
        bytes[o] = v === true ? 0x54 : v === false ? 0x46 : 0;
        break;
      case 'B':
        view.setUint8(o, (v as number) - column.tzero);
        break;
      case 'I':
        view.setInt16(o, (v as number) - column.tzero);
        break;
      case 'J':
        view.setInt32(o, (v as number) - column.tzero);
        break;
      case 'K':
        view.setBigInt64(o, v as bigint);
        break;
      case 'E':
        view.setFloat32(o, v as number);
        break;
      case 'D':
        view.setFloat64(o, v as number);
        break;
      default:
        throw fail(`column '${column.spec.name}': cannot write type ${column.type}`);
    }
  }
}
