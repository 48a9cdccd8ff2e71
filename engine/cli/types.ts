/** Types of the CLI's commands. */
import type { ParseArgsConfig } from 'node:util';
import type { CommandDefinition, CommandIO } from '../command.js';
import type { StepRegistry } from '../registry.js';

/** What every command gets. */
export interface CliContext {
  readonly io: CommandIO;
  /**
   * Built-in steps (the bin's list plus the engine's `shell`); the bin's may be deferred, so
   * call `registry.loadAll()` before `list()` (loading a recipe loads the ones it uses).
   */
  readonly registry: StepRegistry;
  readonly commands: readonly CommandDefinition[];
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/** Parsed option values (strings, booleans, and lists for `multiple` options). */
export type OptionValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** One built-in CLI command. */
export interface CliCommand {
  readonly name: string;
  /** One line for `asterism --help`. */
  readonly summary: string;
  /** `asterism run RECIPE [options]` */
  readonly usage: string;
  /** Options and examples, printed by `--help` below the usage line. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Names of the positional arguments, for messages; `...` suffix = any number. */
  readonly positionals: readonly string[];
  /** Required positionals (the first N). */
  readonly required: number;
  /** Not listed in `asterism --help` (`exec-step`). */
  readonly hidden?: boolean;
  /** Parse the arguments yourself (`exec-step`, `cache`). */
  readonly rawArgs?: boolean;
  run(
    args: {
      readonly values: OptionValues;
      readonly positionals: readonly string[];
      readonly argv: readonly string[];
    },
    ctx: CliContext,
  ): Promise<number>;
}
