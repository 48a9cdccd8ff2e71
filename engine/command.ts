/**
 * Extra CLI commands handed to the engine's CLI by the `bin` entry (e.g. `asterism fits ...`),
 * so that science commands live with the science code and the engine stays astronomy-free.
 */
import type { Writable } from 'node:stream';

export interface CommandIO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The working directory relative paths resolve against. */
  readonly cwd: string;
}

export interface CommandDefinition {
  /** The first CLI word, e.g. `fits`. */
  readonly name: string;
  /** One line for `asterism --help`. */
  readonly description: string;
  /** Full help text with examples, printed for `asterism NAME --help`. */
  readonly help: string;
  /**
   * Run with the arguments after the command name. Returns the exit code (0 ok, 1 failure,
   * 2 bad usage). Throw an `AsterismError` for user errors; the CLI prints and maps it.
   */
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}
