/**
 * Printing errors: a recipe's problems as `file:line:col`, the source line with a caret, and the
 * fix; other `AsterismError`s as message + hint. Paths are shown relative to the working folder.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { AsterismError, type SourceLocation } from '../errors.js';
import { RecipeError } from '../recipe/types.js';

/** `file:line:col` (relative to `cwd` when inside it). */
export function formatLocation(location: SourceLocation, cwd: string): string {
  const rel = relative(cwd, location.file);
  const file = rel === '' || rel.startsWith('..') ? location.file : rel;
  if (location.line === undefined) return file;
  return `${file}:${location.line}:${location.column ?? 1}`;
}

function sourceLine(file: string, line: number, cache: Map<string, string[]>): string | undefined {
  let lines = cache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    cache.set(file, lines);
  }
  return lines[line - 1];
}

/** The text printed for a recipe error: every problem, in file order. */
export function formatRecipeError(error: RecipeError, cwd: string): string {
  const out: string[] = [];
  const files = new Map<string, string[]>();
  const file = error.problems[0]?.location.file;
  const count = error.problems.length;
  out.push(
    `error: ${file === undefined ? 'recipe' : formatLocation({ file }, cwd)} is invalid: ${count} problem${count === 1 ? '' : 's'} (nothing ran)`,
  );
  for (const problem of error.problems) {
    const { location } = problem;
    out.push('');
    out.push(`${formatLocation(location, cwd)}: ${problem.message} [${problem.code}]`);
    if (location.line !== undefined) {
      const text = sourceLine(location.file, location.line, files);
      if (text !== undefined) {
        const gutter = String(location.line).length;
        out.push(`  ${location.line} | ${text.trimEnd()}`);
        out.push(`  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, (location.column ?? 1) - 1))}^`);
      }
    }
    if (problem.hint !== undefined) out.push(`  fix: ${problem.hint}`);
  }
  return `${out.join('\n')}\n`;
}

/** The text printed for any error reaching the CLI. */
export function formatError(error: unknown, cwd: string): string {
  if (error instanceof RecipeError) return formatRecipeError(error, cwd);
  if (error instanceof AsterismError) {
    const where = error.location === undefined ? '' : `${formatLocation(error.location, cwd)}: `;
    return `error: ${where}${error.message}\n${error.hint === undefined ? '' : `  fix: ${error.hint}\n`}`;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `error: ${detail}\n`;
}
