/**
 * A small CSV reader and writer for catalogs (RFC 4180 quoting).
 *
 * Catalogs in asterism are CSV files with one header row; numbers are written with enough digits
 * to round-trip a float64 (`String(x)`), and non-finite values as `nan`, `inf`, `-inf` (the
 * spellings numpy and astropy read back).
 */
import { readFile, writeFile } from 'node:fs/promises';

/** One cell value. */
export type CsvValue = string | number | boolean;

/** A row keyed by column name. */
export type CsvRow = Readonly<Record<string, CsvValue>>;

/** A parsed table: the header in file order and the rows as strings. */
export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** A CSV file that does not parse, or lacks a column the caller needs. */
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

function formatCell(value: CsvValue): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Number.POSITIVE_INFINITY) return 'inf';
    if (value === Number.NEGATIVE_INFINITY) return '-inf';
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Serialise rows to CSV text with the given column order (missing cells are empty). */
export function formatCsv(columns: readonly string[], rows: readonly CsvRow[]): string {
  const lines = [columns.map(formatCell).join(',')];
  for (const row of rows) {
    lines.push(columns.map((c) => (row[c] === undefined ? '' : formatCell(row[c]))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Write rows to a CSV file. */
export async function writeCsv(
  path: string,
  columns: readonly string[],
  rows: readonly CsvRow[],
): Promise<void> {
  await writeFile(path, formatCsv(columns, rows));
}

/** Split CSV text into records of fields, honouring quotes (fields may contain commas and newlines). */
function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
    i++;
  }
  if (quoted) throw new CsvError('unterminated quoted field at end of file');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

/** Parse CSV text with a header row. Lines starting with `#` before the header are skipped. */
export function parseCsv(text: string, source = 'CSV'): CsvTable {
  const body = text.replace(/^\uFEFF/, '').replace(/^(#[^\n]*\n)+/, '');
  const records = splitRecords(body);
  const header = records[0];
  if (header === undefined) throw new CsvError(`${source}: empty file, expected a header row`);
  const columns = header.map((c) => c.trim());
  const rows = records.slice(1).map((fields, index) => {
    if (fields.length !== columns.length) {
      throw new CsvError(
        `${source}: row ${index + 2} has ${fields.length} fields but the header has ${columns.length}`,
      );
    }
    const row: Record<string, string> = {};
    columns.forEach((c, j) => {
      row[c] = fields[j]!;
    });
    return row;
  });
  return { columns, rows };
}

/** Read and parse a CSV file. */
export async function readCsv(path: string): Promise<CsvTable> {
  return parseCsv(await readFile(path, 'utf8'), path);
}

/** Parse a cell as a number; `nan`/`inf` spellings accepted. Throws naming the row and column. */
export function cellNumber(table: CsvTable, row: number, column: string, source = 'CSV'): number {
  const text = table.rows[row]?.[column]?.trim();
  if (text === undefined) {
    throw new CsvError(`${source}: no column \`${column}\` (columns: ${table.columns.join(', ')})`);
  }
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) {
    throw new CsvError(`${source}: row ${row + 2}, column \`${column}\`: expected a number, got \`${text}\``);
  }
  return value;
}

/** Require columns to exist, with a message that lists what the file has. */
export function requireColumns(table: CsvTable, columns: readonly string[], source = 'CSV'): void {
  const missing = columns.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) {
    throw new CsvError(
      `${source}: missing column(s) ${missing.map((c) => `\`${c}\``).join(', ')}; the file has ${table.columns.join(', ')}`,
    );
  }
}
