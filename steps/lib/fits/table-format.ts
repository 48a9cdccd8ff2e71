/** Binary-table column formats (TFORMn, FITS Standard 4.0 section 7.3.1). */

/** Type letters: L logical, X bit, B uint8, I int16, J int32, K int64, A char, E float32, D float64, C/M complex, P/Q array descriptors. */
export type ColumnType = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';

export interface ColumnFormat {
  readonly repeat: number;
  readonly type: ColumnType;
  /** For P/Q descriptors: the element type of the heap array. */
  readonly elementType?: ColumnType;
  /** Bytes the field takes in a row. */
  readonly width: number;
}

/** Bytes of one element of each type (X is counted in bits, see `parseTform`). */
export const ELEMENT_BYTES: Record<ColumnType, number> = {
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

/** Parse `rT`, `rPT(max)`; returns undefined when the text is not a valid TFORM. */
export function parseTform(text: string): ColumnFormat | undefined {
  const match = /^\s*(\d*)([LXBIJKAEDCMPQ])([LXBIJKAEDCM]?)(\(\d*\))?\s*$/.exec(text.toUpperCase());
  if (match === null) return undefined;
  const repeat = match[1] === '' ? 1 : Number(match[1]);
  const type = match[2] as ColumnType;
  const width = type === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[type];
  if (type === 'P' || type === 'Q') {
    const elementType = (match[3] === '' ? 'B' : match[3]) as ColumnType;
    return { repeat, type, elementType, width };
  }
  return { repeat, type, width };
}
