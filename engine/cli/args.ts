/** Argument parsing (node:util `parseArgs`) with usage errors that say what to type instead. */
import { parseArgs } from 'node:util';
import { AsterismError } from '../errors.js';
import { didYouMean } from '../recipe/did-you-mean.js';
import type { CliCommand, OptionValues } from './types.js';

/** A usage error: exit code 2, printed with the command's usage line. */
export function usageError(command: CliCommand | undefined, message: string, hint?: string): AsterismError {
  const usage = command === undefined ? 'asterism --help' : `asterism ${command.name} --help`;
  return new AsterismError('USAGE', message, { hint: hint ?? `see \`${usage}\`` });
}

/** Parse `argv` for `command`; throws `USAGE` errors with a did-you-mean for unknown options. */
export function parseCommandArgs(
  command: CliCommand,
  argv: readonly string[],
): { values: OptionValues; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const names = Object.keys(command.options).map((name) => `--${name}`);
      const hint = didYouMean(unknown, names);
      throw usageError(
        command,
        `unknown option ${unknown} for \`asterism ${command.name}\``,
        hint || undefined,
      );
    }
    throw usageError(command, `${message.replace(/\.$/, '')} (asterism ${command.name})`);
  }
  const positionals = parsed.positionals;
  const variadic = command.positionals.at(-1)?.endsWith('...') ?? false;
  if (positionals.length < command.required) {
    const missing = command.positionals[positionals.length] ?? 'argument';
    throw usageError(command, `missing ${missing.replace(/\.\.\.$/, '')}: usage: ${command.usage}`);
  }
  if (!variadic && positionals.length > command.positionals.length) {
    throw usageError(
      command,
      `unexpected argument \`${positionals[command.positionals.length]}\`: usage: ${command.usage}`,
    );
  }
  return { values: parsed.values as OptionValues, positionals };
}

/** A string option, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable option (also accepts comma-separated values: `--only a,b`). */
export function listOption(values: OptionValues, name: string, split = true): string[] {
  const value = values[name];
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...(value as string[])] : [];
  return split
    ? list.flatMap((item) => item.split(',').map((part) => part.trim())).filter((part) => part !== '')
    : list;
}

/** A positive integer option; throws a usage error naming the value otherwise. */
export function intOption(
  command: CliCommand,
  values: OptionValues,
  name: string,
  min: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw usageError(command, `expected --${name} to be an integer from ${min} up, got \`${text}\``);
  }
  return value;
}
