/**
 * Recipe loading types: the problems a recipe can have, and the error that carries them all.
 */
import { AsterismError, type SourceLocation } from '../errors.js';

/** One thing wrong with a recipe, with where it is and how to fix it. */
export interface Problem {
  /** Stable code, e.g. `UNKNOWN_STEP`, `DANGLING_REF`, `CYCLE`, `YAML_SYNTAX`. */
  readonly code: string;
  /** What went wrong, quoting the key and value. */
  readonly message: string;
  /** file, 1-based line:column and JSON pointer of the offending node. */
  readonly location: SourceLocation;
  /** What to do about it (a did-you-mean, the expected form). */
  readonly hint?: string;
}

/** The recipe is invalid: every problem found, reported together. Exit code 2. */
export class RecipeError extends AsterismError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const [first] = problems;
    super(
      'RECIPE_INVALID',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${first?.location.file ?? 'recipe'}`,
      first === undefined ? {} : { location: first.location },
    );
    this.name = 'RecipeError';
    this.problems = problems;
  }
}

/** Options for loading a recipe into a graph. */
export interface LoadOptions {
  /** `--set k=v` overrides, already split at the first `=` (values are parsed as YAML scalars). */
  readonly set?: readonly string[];
}
