/**
 * Reading candidates and truth catalogs (CSV, see issue 4's conventions) into metric objects,
 * and writing candidates.
 *
 * - candidates: `field,x,y,score,area` (+ optional `label`: the footprint's label in the
 *   detector's segmentation map of the field);
 * - truth: `x,y,field,kind,real,flux,snr` with `real` written `1`/`0` or `true`/`false`
 *   (`flux` and `snr` optional).
 */
import { CsvError, type CsvRow, type CsvTable, cellNumber, requireColumns } from '../table/csv.js';
import type { Candidate, TruthObject } from './types.js';

/** Columns of a candidates catalog, in the order detectors write them. */
export const CANDIDATE_COLUMNS = ['field', 'x', 'y', 'score', 'area', 'label'] as const;

/** Parse a candidates table. @throws CsvError naming the row and column of a bad cell. */
export function candidatesFromTable(table: CsvTable, source: string): Candidate[] {
  requireColumns(table, ['field', 'x', 'y', 'score'], source);
  const hasArea = table.columns.includes('area');
  const hasLabel = table.columns.includes('label');
  return table.rows.map((row, i) => {
    const candidate: Candidate = {
      field: row.field ?? '',
      x: cellNumber(table, i, 'x', source),
      y: cellNumber(table, i, 'y', source),
      score: cellNumber(table, i, 'score', source),
      ...(hasArea ? { area: cellNumber(table, i, 'area', source) } : {}),
      ...(hasLabel ? { label: cellNumber(table, i, 'label', source) } : {}),
    };
    if (!Number.isFinite(candidate.score)) {
      throw new CsvError(
        `${source}: row ${i + 2}, column \`score\`: expected a finite number, got \`${row.score}\``,
      );
    }
    return candidate;
  });
}

function parseReal(text: string | undefined, source: string, row: number): boolean {
  const lower = (text ?? '').toLowerCase();
  if (lower === '1' || lower === 'true') return true;
  if (lower === '0' || lower === 'false') return false;
  throw new CsvError(
    `${source}: row ${row + 2}, column \`real\`: expected 1/0 or true/false, got \`${text}\``,
  );
}

/** Parse a truth table. @throws CsvError naming the row and column of a bad cell. */
export function truthFromTable(table: CsvTable, source: string): TruthObject[] {
  requireColumns(table, ['field', 'x', 'y', 'kind', 'real'], source);
  const hasFlux = table.columns.includes('flux');
  const hasSnr = table.columns.includes('snr');
  return table.rows.map((row, i) => ({
    field: row.field ?? '',
    x: cellNumber(table, i, 'x', source),
    y: cellNumber(table, i, 'y', source),
    kind: row.kind ?? '',
    real: parseReal(row.real, source, i),
    ...(hasFlux ? { flux: cellNumber(table, i, 'flux', source) } : {}),
    ...(hasSnr ? { snr: cellNumber(table, i, 'snr', source) } : {}),
  }));
}

/** Candidates as CSV rows (columns {@link CANDIDATE_COLUMNS}). */
export function candidateRows(candidates: readonly Candidate[]): CsvRow[] {
  return candidates.map((c) => ({
    field: c.field,
    x: c.x,
    y: c.y,
    score: c.score,
    area: c.area ?? 0,
    label: c.label ?? 0,
  }));
}
