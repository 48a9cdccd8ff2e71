/** CSV rows of physical parameters for a stack of patches (the physical-parameters columns). */
import type { CsvRow } from '../table/csv.js';
import { PARAMETER_NAMES, stackParameters } from './physics.js';

/** Columns of a parameters table: the patch index, then the parameters. */
export const PARAMETER_COLUMNS = ['patch', ...PARAMETER_NAMES] as const;

/** Measure every patch of a stack (kG) and return one CSV row per patch. */
export function parameterRows(data: Float32Array, size: number): CsvRow[] {
  return stackParameters(data, size, size).map((p, patch) => ({ patch, ...p }));
}
