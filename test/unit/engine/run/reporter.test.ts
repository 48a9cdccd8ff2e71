import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReporter, finishedLine } from '../../../../engine/run/reporter.js';
import type { RunReport, StepReport } from '../../../../engine/run/types.js';
import { stepReports } from './fixtures/arbitraries.js';
import { sink } from './fixtures/graph.js';

/** Text that needs every kind of JSON escaping: quotes, backslashes, controls, non-ASCII, lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('a"b', 'c\\d', 'tab\there', 'line\nbreak', '\u0000', 'ε ∈ [−6, 6]', '\ud800', 'x/y'),
);
const report = stepReports(text);

/** What the line must parse to: the event fields, then the report as JSON sees it. */
function expected(time: string, step: StepReport): unknown {
  return JSON.parse(JSON.stringify({ time, event: 'step-finished', step: step.id, ...step }));
}

const step = (id: string, status: StepReport['status'], error?: string): StepReport => ({
  id,
  uses: 'make',
  version: '1',
  status,
  durationMs: status === 'succeeded' ? 1500 : 0,
  attempts: 0,
  ...(error === undefined ? {} : { error }),
});

/** One of each kind of step, in the order a run would report them. */
const mixed: StepReport[] = [
  step('done', 'succeeded'),
  step('kept', 'cached'),
  step('unselected', 'skipped'),
  step('left-out', 'skipped', 'not in the cache, and excluded by --only/--from: run it first'),
  step('broken', 'failed', 'exit code 1'),
  step('after-broken', 'blocked', 'blocked: upstream `broken` failed'),
];

/** Feed `mixed` through a reporter, with the events a run sends around them. */
function replay(format: 'plain' | 'json', quiet: boolean): string {
  const out = sink();
  const reporter = createReporter(format, out.stream, true, quiet);
  reporter.stepStarted('done');
  reporter.stepProgress('done', 1, 2);
  reporter.stepWarning('done', 'low signal-to-noise');
  for (const report of mixed) reporter.stepFinished(report);
  reporter.note(undefined, 'waiting for another run');
  reporter.note('done', 'recomputing: forced', 'info');
  const run: RunReport = {
    recipe: 'demo',
    outcome: 'failed',
    steps: mixed,
    durationMs: 2000,
    cacheDir: '/cache',
    lockFile: '/work/demo.lock.yaml',
  };
  reporter.runFinished(run);
  return out.text();
}

describe('--quiet', () => {
  it('prints only the steps that need attention, warnings, notes and the outcome line', () => {
    expect(replay('plain', true)).toBe(
      [
        'warning   done: low signal-to-noise',
        'skipped   left-out',
        '    not in the cache, and excluded by --only/--from: run it first',
        'failed    broken',
        '    exit code 1',
        'blocked   after-broken',
        '    blocked: upstream `broken` failed',
        'note      waiting for another run',
        'demo: failed in 2.0s — 1 failed, 1 blocked, 1 succeeded, 1 cached, 2 skipped',
        'lock file: /work/demo.lock.yaml',
        '',
      ].join('\n'),
    );
    // Without it, every step has its line, info notes are printed, and the table follows.
    const loud = replay('plain', false);
    expect(loud).toMatch(/^note {6}done: recomputing: forced$/m);
    expect(loud).toMatch(/^started {3}done$/m);
    expect(loud).toMatch(/^cached {4}kept$/m);
    expect(loud).toMatch(/^step +status +time$/m);
  });

  it('keeps the JSON log to the same events', () => {
    const events = replay('json', true)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; step?: string });
    expect(events.map((event) => `${event.event} ${event.step ?? ''}`.trim())).toEqual([
      'step-warning done',
      'step-finished left-out',
      'step-finished broken',
      'step-finished after-broken',
      'note',
      'run-finished',
    ]);
  });
});

describe('the JSON log line of a finished step', () => {
  it('parses to {time, event, step, ...report} for any report', () => {
    fc.assert(
      fc.property(report, (step) => {
        const line = finishedLine('2026-11-23T21:00:00.000Z', step);
        expect(line.endsWith('}\n')).toBe(true);
        expect(line.slice(0, -1)).not.toContain('\n');
        expect(JSON.parse(line)).toEqual(expected('2026-11-23T21:00:00.000Z', step));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes every field a report can have', () => {
    // `Required` makes this fail to compile when StepReport gains a field the line does not know.
    const full: Required<StepReport> = {
      id: 'touch[i=1]',
      uses: 'touch-index',
      version: '1',
      status: 'failed',
      key: 'ab'.repeat(32),
      durationMs: 12.5,
      outputs: { out: '/cache/entries/ab/out/out.txt' },
      outputHashes: { out: `sha256:${'0'.repeat(64)}` },
      error: 'exit code 1',
      logFile: '/cache/logs/run/touch.log',
      backend: 'asterism-cpu',
      attempts: 2,
    };
    const parsed = JSON.parse(finishedLine('t', full)) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['event', 'step', 'time', ...Object.keys(full)].sort());
    expect(parsed).toEqual(expected('t', full));
  });

  it('is what the JSON reporter writes, one line per step, in order', () => {
    const out = sink();
    const reporter = createReporter('json', out.stream, false);
    const steps: StepReport[] = [
      { id: 'a', uses: 'make', version: '1', status: 'cached', durationMs: 0, attempts: 0, key: 'k' },
      { id: 'b "quoted"', uses: 'make', version: '1', status: 'blocked', durationMs: 0, attempts: 0 },
    ];
    for (const step of steps) reporter.stepFinished(step);
    reporter.flush();
    const lines = out
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { time: string });
    expect(lines).toEqual(steps.map((step, i) => expected(lines[i]!.time, step)));
    expect(Number.isNaN(Date.parse(lines[0]!.time))).toBe(false);
  });
});
