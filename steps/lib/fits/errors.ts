/**
 * The one error type of the FITS library. `steps/lib/` may not import the engine, so this is a
 * plain `Error` subclass; steps wrap it in a `StepInputError` when a user's file is at fault.
 */

/** Where in a FITS file a problem is. */
export interface FitsLocation {
  /** The file path as the caller gave it. */
  readonly file: string;
  /** 0-based HDU index (0 is the primary HDU). */
  readonly hdu?: number;
  /** EXTNAME of that HDU, when it has one. */
  readonly extname?: string;
}

/** A FITS file that cannot be read or written as asked. The message says where, what and how to fix. */
export class FitsError extends Error {
  readonly file: string;
  readonly hdu: number | undefined;
  readonly extname: string | undefined;
  /** The problem alone, without the location prefix and hint. */
  readonly problem: string;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  constructor(location: FitsLocation, problem: string, hint?: string, options?: { cause?: unknown }) {
    super(`${describeLocation(location)}: ${problem}${hint === undefined ? '' : `. ${hint}`}`, options);
    this.name = 'FitsError';
    this.file = location.file;
    this.hdu = location.hdu;
    this.extname = location.extname;
    this.problem = problem;
    this.hint = hint;
  }
}

/** `file.fits, HDU 1 (SCI)` — how every FITS message starts. */
export function describeLocation(location: {
  readonly file: string;
  readonly hdu?: number | undefined;
  readonly extname?: string | undefined;
}): string {
  if (location.hdu === undefined) return location.file;
  const name = location.extname === undefined || location.extname === '' ? '' : ` (${location.extname})`;
  return `${location.file}, HDU ${location.hdu}${name}`;
}
