/**
 * Progress reporters: a live line per running step in a terminal, plain lines otherwise, JSON
 * lines for machines, and the final summary table.
 */
import type { Writable } from 'node:stream';
import { jsonString } from '../cache/canonical-json.js';
import { formatSummary } from './summary.js';
import type { LogFormat, RunReport, StepReport } from './types.js';

/** What the scheduler tells the user about. */
export interface RunReporter {
  stepStarted(id: string): void;
  stepProgress(id: string, done: number, total: number): void;
  /** A warning from a step (info/debug lines go to its log file only). */
  stepWarning(id: string, message: string): void;
  stepFinished(report: StepReport): void;
  /**
   * An engine notice: waiting on another run's lock, recomputing a damaged entry, ... `info`
   * notes only confirm what was asked for or harmless (`--force`, an entry another run computed
   * meanwhile): `--quiet` leaves them out.
   */
  note(id: string | undefined, message: string, level?: NoteLevel): void;
  runFinished(report: RunReport): void;
  /** Write out anything batched (before an error ends the command, say). */
  flush(): void;
}

export type NoteLevel = 'notice' | 'info';

/** What a run prints at the end: the table of steps, only its closing outcome line(s), or nothing. */
export type SummaryStyle = 'table' | 'outcome' | 'none';

/**
 * The reporter for a run. `quiet` (`asterism run --quiet`) reports only what needs attention
 * (failed, blocked and aborted steps, warnings, notes) and the outcome, in every format: a
 * no-op rerun of 10,000 steps then prints two lines instead of 10,000.
 */
export function createReporter(
  format: LogFormat,
  stream: Writable & { isTTY?: boolean; columns?: number },
  summary: boolean,
  quiet = false,
): RunReporter {
  const resolved = format === 'auto' ? (stream.isTTY === true ? 'tty' : 'plain') : format;
  const style: SummaryStyle = !summary ? 'none' : quiet ? 'outcome' : 'table';
  const reporter =
    resolved === 'json'
      ? new JsonReporter(stream)
      : resolved === 'tty'
        ? new TtyReporter(stream, style)
        : new PlainReporter(stream, style);
  return quiet ? new QuietReporter(reporter) : reporter;
}

/**
 * Passes on only what needs attention: no started or progress events (so no live lines), no
 * `info` notes, and a finished step only when it did not succeed, or carries an error (a step
 * skipped because `--only` left it out and it is not cached).
 */
class QuietReporter implements RunReporter {
  readonly #inner: RunReporter;
  constructor(inner: RunReporter) {
    this.#inner = inner;
  }
  stepStarted(): void {}
  stepProgress(): void {}
  stepWarning(id: string, message: string): void {
    this.#inner.stepWarning(id, message);
  }
  stepFinished(report: StepReport): void {
    const fine = report.status === 'succeeded' || report.status === 'cached' || report.status === 'skipped';
    if (!fine || report.error !== undefined) this.#inner.stepFinished(report);
  }
  note(id: string | undefined, message: string, level: NoteLevel = 'notice'): void {
    if (level !== 'info') this.#inner.note(id, message);
  }
  runFinished(report: RunReport): void {
    this.#inner.runFinished(report);
  }
  flush(): void {
    this.#inner.flush();
  }
}

/** The summary `style` asks for. */
function summaryText(style: SummaryStyle, report: RunReport): string {
  return style === 'none' ? '' : formatSummary(report, style === 'table');
}

/** `1.2s`, `3m04s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function finishLine(report: StepReport): string {
  const time = report.durationMs > 0 ? ` (${formatDuration(report.durationMs)})` : '';
  let line = `${report.status.padEnd(9)} ${report.id}${time}`;
  if (report.error !== undefined) line += `\n    ${report.error.split('\n').join('\n    ')}`;
  if (report.status === 'failed' && report.logFile !== undefined) line += `\n    log: ${report.logFile}`;
  return line;
}

/** Flush at once past this many buffered characters. */
const BATCH_CHARS = 1 << 16;

/**
 * Lines collected and written in one `write` per turn of the event loop (or per 64 KiB).
 * A no-op rerun of 10,000 steps reports 10,000 `cached` lines within a few milliseconds; as
 * separate writes to a pipe or file (synchronous in Node) they cost more than the run itself.
 * Order is kept, and `flush` runs before the summary, so nothing is lost or reordered.
 */
class LineBatcher {
  readonly #out: Writable;
  #pending: string[] = [];
  #chars = 0;
  #scheduled = false;
  constructor(out: Writable) {
    this.#out = out;
  }
  write(text: string): void {
    this.#pending.push(text);
    this.#chars += text.length;
    if (this.#chars >= BATCH_CHARS) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }
  flush(): void {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#chars = 0;
    this.#out.write(text);
  }
}

class PlainReporter implements RunReporter {
  readonly #out: LineBatcher;
  readonly #summary: SummaryStyle;
  constructor(out: Writable, summary: SummaryStyle) {
    this.#out = new LineBatcher(out);
    this.#summary = summary;
  }
  stepStarted(id: string): void {
    this.#out.write(`started   ${id}\n`);
  }
  stepProgress(): void {}
  stepWarning(id: string, message: string): void {
    this.#out.write(`warning   ${id}: ${message}\n`);
  }
  stepFinished(report: StepReport): void {
    this.#out.write(`${finishLine(report)}\n`);
  }
  note(id: string | undefined, message: string): void {
    this.#out.write(`note      ${id === undefined ? '' : `${id}: `}${message}\n`);
  }
  runFinished(report: RunReport): void {
    this.#out.write(summaryText(this.#summary, report));
    this.#out.flush();
  }
  flush(): void {
    this.#out.flush();
  }
}

class JsonReporter implements RunReporter {
  readonly #out: LineBatcher;
  constructor(out: Writable) {
    this.#out = new LineBatcher(out);
  }
  #emit(event: Record<string, unknown>): void {
    this.#out.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  }
  stepStarted(id: string): void {
    this.#emit({ event: 'step-started', step: id });
  }
  stepProgress(id: string, done: number, total: number): void {
    this.#emit({ event: 'step-progress', step: id, done, total });
  }
  stepWarning(id: string, message: string): void {
    this.#emit({ event: 'step-warning', step: id, message });
  }
  stepFinished(report: StepReport): void {
    this.#out.write(finishedLine(this.#now(), report));
  }
  #nowMs = Number.NaN;
  #nowIso = '';
  /** The ISO time, formatted once per millisecond (cached steps finish many to a millisecond). */
  #now(): string {
    const ms = Date.now();
    if (ms !== this.#nowMs) {
      this.#nowMs = ms;
      this.#nowIso = new Date(ms).toISOString();
    }
    return this.#nowIso;
  }
  note(id: string | undefined, message: string): void {
    this.#emit({ event: 'note', ...(id === undefined ? {} : { step: id }), message });
  }
  runFinished(report: RunReport): void {
    const counts: Record<string, number> = {};
    for (const step of report.steps) counts[step.status] = (counts[step.status] ?? 0) + 1;
    this.#emit({
      event: 'run-finished',
      recipe: report.recipe,
      outcome: report.outcome,
      durationMs: report.durationMs,
      counts,
      provenanceFile: report.provenanceFile,
      lockFile: report.lockFile,
    });
    this.#out.flush();
  }
  flush(): void {
    this.#out.flush();
  }
}

/**
 * The JSON log's `step-finished` line: `{time, event, step, ...report}` with the report's
 * fields in one fixed order, written field by field. A no-op rerun of 10,000 steps writes
 * 10,000 of these; `JSON.stringify` of the report (and of the copy `#emit` would make) cost
 * twice as much and left twice the garbage. `reporter.test.ts` checks that the line parses to
 * exactly that object for reports with every field, arbitrary text included.
 */
export function finishedLine(time: string, report: StepReport): string {
  const id = jsonString(report.id);
  let line = `{"time":"${time}","event":"step-finished","step":${id},"id":${id},"uses":${jsonString(report.uses)},"version":${jsonString(report.version)},"attempts":${jsonNumber(report.attempts)},"durationMs":${jsonNumber(report.durationMs)}`;
  if (report.key !== undefined) line += `,"key":${jsonString(report.key)}`;
  line += `,"status":${jsonString(report.status)}`;
  if (report.outputs !== undefined) line += `,"outputs":${jsonStrings(report.outputs)}`;
  if (report.outputHashes !== undefined) line += `,"outputHashes":${jsonStrings(report.outputHashes)}`;
  if (report.error !== undefined) line += `,"error":${jsonString(report.error)}`;
  if (report.logFile !== undefined) line += `,"logFile":${jsonString(report.logFile)}`;
  if (report.backend !== undefined) line += `,"backend":${jsonString(report.backend)}`;
  return `${line}}\n`;
}

/** A number as `JSON.stringify` writes it (`null` for a non-finite one). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** A record of strings as a JSON object, in its own key order. */
function jsonStrings(record: Readonly<Record<string, string>>): string {
  let text = '{';
  for (const name in record)
    text += `${text.length === 1 ? '' : ','}${jsonString(name)}:${jsonString(record[name]!)}`;
  return `${text}}`;
}

interface Live {
  readonly startedMs: number;
  done: number;
  total: number;
}

/** Redraws a block of live lines at most every 100 ms; finished steps scroll above it. */
class TtyReporter implements RunReporter {
  readonly #out: Writable & { columns?: number };
  readonly #summary: SummaryStyle;
  readonly #running = new Map<string, Live>();
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;
  constructor(out: Writable & { columns?: number }, summary: SummaryStyle) {
    this.#out = out;
    this.#summary = summary;
  }
  stepStarted(id: string): void {
    this.#running.set(id, { startedMs: Date.now(), done: 0, total: 0 });
    this.#schedule();
  }
  stepProgress(id: string, done: number, total: number): void {
    const live = this.#running.get(id);
    if (live === undefined) return;
    live.done = done;
    live.total = total;
    this.#schedule();
  }
  stepWarning(id: string, message: string): void {
    this.#print(`warning   ${id}: ${message}`);
  }
  stepFinished(report: StepReport): void {
    this.#running.delete(report.id);
    this.#print(finishLine(report));
  }
  note(id: string | undefined, message: string): void {
    this.#print(`note      ${id === undefined ? '' : `${id}: `}${message}`);
  }
  runFinished(report: RunReport): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#erase();
    const text = summaryText(this.#summary, report);
    if (text !== '') this.#out.write(text);
  }
  flush(): void {}
  #print(line: string): void {
    this.#erase();
    this.#out.write(`${line}\n`);
    this.#draw();
  }
  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#erase();
      this.#draw();
    }, 100);
    this.#timer.unref();
  }
  #erase(): void {
    if (this.#drawn > 0) this.#out.write(`\x1b[${this.#drawn}F\x1b[J`);
    this.#drawn = 0;
  }
  #draw(): void {
    const width = Math.max(40, (this.#out.columns ?? 100) - 1);
    const now = Date.now();
    const lines: string[] = [];
    for (const [id, live] of this.#running) {
      if (lines.length === 10) {
        lines.push(`  ... and ${this.#running.size - 10} more running`);
        break;
      }
      const elapsed = now - live.startedMs;
      let detail = formatDuration(elapsed);
      if (live.total > 0) {
        const fraction = Math.min(1, live.done / live.total);
        const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : undefined;
        detail = `${(fraction * 100).toFixed(0).padStart(3)}% ${live.done}/${live.total} ${detail}${eta === undefined ? '' : ` eta ${formatDuration(eta)}`}`;
      }
      lines.push(`  running ${id} ${detail}`.slice(0, width));
    }
    if (lines.length > 0) this.#out.write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
  }
}
