/**
 * Errors. Every user-facing failure is an `AsterismError` with a stable `code`; bugs are
 * `InternalError`. Only the CLI maps codes to exit codes and calls `process.exit`.
 */

/** Where in a file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer of the offending value, e.g. `/steps/diff/with/science`. */
  readonly pointer?: string;
}

export class AsterismError extends Error {
  readonly code: string;
  readonly location: SourceLocation | undefined;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { location?: SourceLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AsterismError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** A bug in asterism itself, never the user's fault. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`internal error: ${message} (this is a bug in asterism; please report it)`, options);
    this.name = 'InternalError';
  }
}

/** A step failed because its input data is unusable (truncated FITS, NaN-only image, ...). */
export class StepInputError extends AsterismError {
  constructor(message: string, options: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('STEP_INPUT', message, {
      ...(options.file === undefined ? {} : { location: { file: options.file } }),
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      cause: options.cause,
    });
    this.name = 'StepInputError';
  }
}

/**
 * `error.message`, prefixed with the file of its location when the message does not already
 * name it: a step's `StepInputError(message, { file })` must say which file, wherever it is shown.
 */
export function messageWithFile(error: AsterismError): string {
  const file = error.location?.file;
  return file === undefined || error.message.includes(file) ? error.message : `${file}: ${error.message}`;
}
