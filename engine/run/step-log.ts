/**
 * A step's log: lines kept in memory while it runs and written to its log file at the end.
 *
 * The file is written only when there is something in it (or the step failed), so a run of
 * 10,000 quiet steps does not create 10,000 empty files. Its path is fixed up front so a
 * failure message can name it.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StepLogger } from '../step.js';

export type LogLevel = 'info' | 'warn' | 'debug';

export class StepLog implements StepLogger {
  readonly file: string;
  readonly #lines: string[] = [];
  readonly #onLine: ((level: LogLevel, message: string) => void) | undefined;

  constructor(file: string, onLine?: (level: LogLevel, message: string) => void) {
    this.file = file;
    this.#onLine = onLine;
  }

  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  debug(message: string): void {
    this.write('debug', message);
  }

  /** Raw output of a child process or shell script, kept verbatim. */
  raw(text: string): void {
    this.#lines.push(text.endsWith('\n') ? text.slice(0, -1) : text);
  }

  write(level: LogLevel, message: string): void {
    this.#lines.push(`${new Date().toISOString()} ${level.padEnd(5)} ${message}`);
    this.#onLine?.(level, message);
  }

  get isEmpty(): boolean {
    return this.#lines.length === 0;
  }

  /** Append the buffered lines to the file (always when `force`). */
  async flush(force = false): Promise<void> {
    if (this.#lines.length === 0 && !force) return;
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`);
    this.#lines.length = 0;
  }
}
