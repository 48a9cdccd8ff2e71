/**
 * The `asterism` command. `runCli` does the work and returns an exit code (tests call it
 * in-process); `runMain` is the only place in asterism that calls `process.exit`.
 *
 * Exit codes: 0 ok, 1 a step failed, 2 invalid recipe or command line, 130 interrupted.
 */
import type { CommandDefinition, CommandIO } from '../command.js';
import { AsterismError } from '../errors.js';
import { didYouMean } from '../recipe/did-you-mean.js';
import { type DeferredSteps, packageVersion, StepRegistry } from '../registry.js';
import { shellStep } from '../run/shell-step.js';
import type { AnyStepDefinition } from '../step.js';
import { parseCommandArgs } from './args.js';
import { cacheCommand } from './commands/cache.js';
import { execStepCommand } from './commands/exec-step.js';
import { dagCommand, validateCommand } from './commands/inspect.js';
import { explainCommand, planCommand, runCommand, showCommand, verifyCommand } from './commands/run.js';
import { schemaCommand, stepsCommand } from './commands/steps.js';
import { commandHelp, mainHelp } from './help.js';
import { formatError } from './print-error.js';
import type { CliCommand, CliContext } from './types.js';

/** The built-in commands, in the order `--help` lists them. */
export const cliCommands: readonly CliCommand[] = [
  runCommand,
  planCommand,
  explainCommand,
  validateCommand,
  dagCommand,
  showCommand,
  stepsCommand,
  schemaCommand,
  cacheCommand,
  verifyCommand,
  execStepCommand,
];

/** What the `bin` hands to the engine. */
export interface MainOptions {
  /**
   * The built-in steps (the engine adds its own `shell` step); or their names and a function
   * that imports them: then only commands that need a built-in step's definition load the step
   * modules (`--help`, `cache`, extra commands and a recipe of plugin steps never do).
   */
  readonly steps: readonly AnyStepDefinition[] | DeferredSteps;
  /** Extra commands such as `asterism fits`. */
  readonly commands?: readonly CommandDefinition[];
  /** Arguments after the program name. */
  readonly argv: readonly string[];
}

/** `runCli` options: `MainOptions` plus where output goes and how to cancel (for tests). */
export interface CliOptions extends MainOptions {
  readonly io?: CommandIO;
  readonly signal?: AbortSignal;
}

/** The step registry of the built-ins: the bin's steps (or their names) plus the engine's `shell`. */
export function builtinRegistry(steps: readonly AnyStepDefinition[] | DeferredSteps): StepRegistry {
  if (!Array.isArray(steps))
    return StepRegistry.fromBuiltins([shellStep as AnyStepDefinition], steps as DeferredSteps);
  const list = steps as readonly AnyStepDefinition[];
  const withShell = list.some((step) => step.name === shellStep.name)
    ? list
    : [...list, shellStep as AnyStepDefinition];
  return StepRegistry.fromBuiltins(withShell);
}

/** Run the CLI and return its exit code; never calls `process.exit`. */
export async function runCli(options: CliOptions): Promise<number> {
  const io: CommandIO = options.io ?? { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
  const extra = options.commands ?? [];
  const [name, ...rest] = options.argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = cliCommands.find((candidate) => candidate.name === topic);
      const plugin = extra.find((candidate) => candidate.name === topic);
      io.stdout.write(
        command !== undefined
          ? commandHelp(command)
          : plugin !== undefined
            ? `${plugin.help}\n`
            : mainHelp(cliCommands, extra),
      );
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V') {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    const plugin = extra.find((candidate) => candidate.name === name);
    if (plugin !== undefined) {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(`${plugin.help}\n`);
        return 0;
      }
      return await plugin.run(rest, io);
    }
    const command = cliCommands.find((candidate) => candidate.name === name);
    if (command === undefined) {
      const names = [
        ...cliCommands.filter((c) => c.hidden !== true).map((c) => c.name),
        ...extra.map((c) => c.name),
      ];
      throw new AsterismError('USAGE', `unknown command \`${name}\``, {
        hint: `${didYouMean(name, names) || `commands: ${names.join(', ')}`} (see \`asterism --help\`)`,
      });
    }
    if (command.rawArgs !== true && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const parsed =
      command.rawArgs === true ? { values: {}, positionals: [...rest] } : parseCommandArgs(command, rest);
    const ctx: CliContext = {
      io,
      registry: builtinRegistry(options.steps),
      commands: extra,
      signal: options.signal ?? new AbortController().signal,
    };
    return await command.run({ ...parsed, argv: rest }, ctx);
  } catch (error) {
    io.stderr.write(formatError(error, io.cwd));
    return error instanceof AsterismError ? (error.code === 'ABORTED' ? 130 : 2) : 1;
  }
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * The `bin` entry: run the CLI with SIGINT/SIGTERM wired to cancellation, then exit with its
 * code. A second Ctrl-C exits at once.
 */
export async function runMain(options: MainOptions): Promise<never> {
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: cancelling running steps (press Ctrl-C again to exit at once)\n`);
    controller.abort(new AsterismError('ABORTED', `interrupted by ${signal}`));
  };
  // exec-step children handle their own signals (the parent scheduler terminates them).
  const child = options.argv[0] === 'exec-step';
  if (!child) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  // `asterism dag r.yaml | head -3` closes stdout early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let code = await runCli({ ...options, signal: controller.signal });
  if (interrupted && code !== 0) code = 130;
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}
