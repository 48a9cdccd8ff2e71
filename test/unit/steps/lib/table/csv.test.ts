import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CsvError,
  cellNumber,
  formatCsv,
  parseCsv,
  requireColumns,
} from '../../../../../steps/lib/table/csv.js';

describe('csv', () => {
  it('round-trips quoting, non-finite numbers and float64 precision, and Python reads it the same', () => {
    const rows = [
      { name: 'a, "quoted"\nline', x: 0.1 + 0.2, y: Number.NaN, z: true },
      { name: ' padded ', x: -1e-300, y: Number.POSITIVE_INFINITY, z: false },
    ];
    const text = formatCsv(['name', 'x', 'y', 'z'], rows);
    const table = parseCsv(text);
    expect(table.rows[0]!.name).toBe('a, "quoted"\nline');
    expect(table.rows[1]!.name).toBe(' padded ');
    expect(cellNumber(table, 0, 'x')).toBe(0.1 + 0.2);
    expect(cellNumber(table, 0, 'y')).toBeNaN();
    expect(cellNumber(table, 1, 'y')).toBe(Number.POSITIVE_INFINITY);
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    writeFileSync(join(dir, 't.csv'), text);
    const py = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        "import csv,sys,json; r=list(csv.DictReader(open(sys.argv[1]))); print(json.dumps([[d['name'], float(d['x']), d['y']] for d in r]))",
        join(dir, 't.csv'),
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(py)).toEqual([
      ['a, "quoted"\nline', 0.1 + 0.2, 'nan'],
      [' padded ', -1e-300, 'inf'],
    ]);
  });

  it('names the row and column of a bad cell and the columns a file lacks', () => {
    const table = parseCsv('x,y\n1,abc\n', 'cat.csv');
    expect(() => cellNumber(table, 0, 'y', 'cat.csv')).toThrowError(
      'cat.csv: row 2, column `y`: expected a number, got `abc`',
    );
    expect(() => requireColumns(table, ['x', 'flux'], 'cat.csv')).toThrowError(
      'cat.csv: missing column(s) `flux`; the file has x, y',
    );
    expect(() => parseCsv('a,b\n1\n', 'f.csv')).toThrowError(CsvError);
  });
});
