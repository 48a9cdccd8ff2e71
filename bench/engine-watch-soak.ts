/**
 * Watch-mode soak: watch-triggered reruns (50 by default) of a 200-step recipe while a file in its
 * input folder changes every 100 ms. Checks that file handles and child processes do not leak,
 * that memory stays flat (within 20 %), and that every rerun is correct.
 *
 *   npm run bench:engine-soak [-- --runs 50] [--warmup 10] [--samples runs.csv] [--growing]
 *                             [--snapshots DIR]
 *
 * The input folder holds at most 40 files: the first changes add files, later ones rewrite one
 * (a steady workload, so memory can be flat). `--growing` keeps adding files instead (two changes
 * in three add one, without bound), so each rerun reads and hashes more than the last.
 *
 * Memory is read after a full GC (`--expose-gc`) after run 1, after the warm-up run, and at the
 * end, and the growth is printed from both starting points: in the first reruns V8 sizes its
 * young generation (16 -> 32 MB committed), a one-time step, not a leak.
 * The peak RSS seen after any run (no GC) is printed too. `--samples FILE` writes one CSV row per
 * run (memory by V8 space, CPU time) to see whether memory plateaus.
 *
 * Correctness: no step may fail except with INPUT_CHANGED (its input file was rewritten while it
 * ran: not cached, and the watch reruns it), and after the soak one more ordinary run on the same
 * cache must give every reader the exact count and byte total of the folder as it is then (so no
 * stale cache entry was written under the churn), with the 190 steps that never change `cached`.
 * See docs/reliability.md for the figures and what they mean.
 */
import { appendFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeHeapSnapshot } from 'node:v8';
import { loadRecipe } from '../engine/recipe/load.js';
import { StepRegistry } from '../engine/registry.js';
import type { RunReport } from '../engine/run/index.js';
import { runRecipe, shellStep } from '../engine/run/index.js';
import type { AnyStepDefinition } from '../engine/step.js';
import { watchRecipe } from '../engine/watch/index.js';
import {
  childCommands,
  fdTargets,
  memoryReading,
  type ProcessReading,
  settledReading,
} from './lib/soak-probe.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) || fallback : fallback;
}
const runsWanted = option('--runs', 50);
const warmup = Math.min(option('--warmup', 10), runsWanted);
const samplesAt = process.argv.indexOf('--samples');
const samplesFile = samplesAt > 0 ? process.argv[samplesAt + 1] : undefined;
const growing = process.argv.includes('--growing');
const snapshotsAt = process.argv.indexOf('--snapshots');
/** `--snapshots DIR`: heap snapshots after run 20 and at the end, to compare in DevTools. */
const snapshotDir = snapshotsAt > 0 ? process.argv[snapshotsAt + 1] : undefined;
const READERS = 10;
const IDLE = 190;
const MAX_FILES = 40;
/** Runs after which the RSS is printed, to show whether it plateaus. */
const CHECKPOINTS = new Set([1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 500]);

const PLUGIN = `import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export const steps = [
  { name: 'count-files', version: '1', description: 'Count and sum the input files.',
    params: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } }, i: { type: 'integer' } }, required: ['files', 'i'] },
    outputs: { summary: 'n and total bytes' },
    async run(ctx) {
      // Counts bodies in flight (the bench reports the peak). Deliberately ignores ctx.signal, as
      // a careless plugin would: the engine must not pile new work on top of aborted bodies.
      const g = globalThis;
      g.__soakBodies = (g.__soakBodies ?? 0) + 1;
      g.__soakPeak = Math.max(g.__soakPeak ?? 0, g.__soakBodies);
      try {
        let bytes = 0;
        for (const file of ctx.params.files) bytes += (await readFile(file)).length;
        await writeFile(join(ctx.outDir, 'summary.json'), JSON.stringify({ n: ctx.params.files.length, bytes }));
        return { summary: 'summary.json' };
      } finally {
        g.__soakBodies--;
      }
    } },
  { name: 'idle', version: '1', description: 'Write the index.',
    params: { type: 'object', properties: { i: { type: 'integer' } }, required: ['i'] },
    outputs: { out: 'index' },
    async run(ctx) { await writeFile(join(ctx.outDir, 'i.txt'), String(ctx.params.i)); return { out: 'i.txt' }; } },
];
`;

const RECIPE = (list: (n: number) => string): string => `recipe: soak
version: 1
plugins: [plugin.mjs]
inputs:
  data: data/*.txt
steps:
  reader:
    uses: count-files
    matrix: { i: ${list(READERS)} }
    with: { files: "\${{ inputs.data }}", i: "\${{ matrix.i }}" }
  idle:
    uses: idle
    matrix: { i: ${list(IDLE)} }
    with: { i: "\${{ matrix.i }}" }
`;

/** The file the k-th change writes, and what it writes. */
function change(k: number): { name: string; text: string } {
  const text = 'y'.repeat((k * 7) % 50);
  if (growing) return { name: k % 3 === 0 ? `f${k % 7}.txt` : `f${k}.txt`, text };
  return { name: `f${k % MAX_FILES}.txt`, text };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'asterism-soak-'));
  const data = join(dir, 'data');
  await mkdir(data);
  await writeFile(join(data, 'f0.txt'), 'x');
  await writeFile(join(dir, 'plugin.mjs'), PLUGIN);
  await writeFile(
    join(dir, 'soak.yaml'),
    RECIPE((n) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`),
  );
  const registry = StepRegistry.fromBuiltins([shellStep as AnyStepDefinition]);
  const load = async () => (await loadRecipe(join(dir, 'soak.yaml'), { registry })).graph;
  const controller = new AbortController();
  const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const runOptions = { stderr: quiet, logFormat: 'plain', summary: false, gpus: 0 } as const;
  if (samplesFile !== undefined)
    writeFileSync(
      samplesFile,
      'run,ms,rssMb,heapUsedMb,heapTotalMb,newSpaceMb,oldSpaceMb,externalMb,cpuMs\n',
    );
  // Only counts are kept across runs: holding every report would itself grow memory.
  let runs = 0;
  let failedRuns = 0;
  let inputChanged = 0;
  const rssByRun: string[] = [];
  const counts = new Map<string, number>();
  let start: ProcessReading | undefined;
  let warm: ProcessReading | undefined;
  let warmCpuMs = 0;
  let peakRssMb = 0;
  let peakRssAfterWarmupMb = 0;
  let k = 1;
  let changer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const cpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  await watchRecipe({
    ...runOptions,
    load,
    signal: controller.signal,
    onRun: (report: RunReport) => {
      runs++;
      for (const step of report.steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
      // A reader whose input file was rewritten while it ran fails with INPUT_CHANGED (its result
      // is not cached; the watch saw the change and reruns it): correct. Any other failure is not.
      let otherFailure = false;
      for (const step of report.steps) {
        if (step.status !== 'failed') continue;
        if (step.error?.includes('changed while the step ran') === true) inputChanged++;
        else otherFailure = true;
      }
      if (otherFailure) failedRuns++;
      const m = memoryReading();
      if (CHECKPOINTS.has(runs) || runs === runsWanted) rssByRun.push(`${runs}: ${m.rssMb.toFixed(0)}`);
      peakRssMb = Math.max(peakRssMb, m.rssMb);
      if (runs > warmup) peakRssAfterWarmupMb = Math.max(peakRssAfterWarmupMb, m.rssMb);
      if (samplesFile !== undefined) {
        const row = [runs, performance.now() - started, m.rssMb, m.heapUsedMb, m.heapTotalMb, m.newSpaceMb];
        row.push(m.oldSpaceMb, m.externalMb, cpuMs());
        appendFileSync(samplesFile, `${row.map((x) => x.toFixed(1)).join(',')}\n`);
      }
      if (runs === 1) {
        start = settledReading();
        changer = setInterval(() => {
          const { name, text } = change(k++);
          void writeFile(join(data, name), text);
        }, 100);
      }
      if (runs === warmup) {
        warm = settledReading();
        warmCpuMs = cpuMs();
      }
      if (snapshotDir !== undefined && runs === 20)
        writeHeapSnapshot(join(snapshotDir, 'run-20.heapsnapshot'));
      if (runs >= runsWanted) controller.abort();
    },
  });
  clearInterval(changer);
  const seconds = (performance.now() - started) / 1000;
  const cpuPerRunMs = (cpuMs() - warmCpuMs) / Math.max(1, runs - warmup);
  const end = settledReading();
  if (snapshotDir !== undefined) writeHeapSnapshot(join(snapshotDir, `run-${runs}.heapsnapshot`));
  const leaked = end.fds > start!.fds ? fdTargets() : undefined;

  // One more ordinary run on the same cache, with the folder now still: every reader must see it
  // exactly, and nothing else may run.
  const files = readdirSync(data).filter((name) => name.endsWith('.txt'));
  const bytes = files.reduce((sum, name) => sum + statSync(join(data, name)).size, 0);
  const check = await runRecipe(await load(), runOptions);
  let wrong = failedRuns;
  for (const step of check.steps) {
    if (step.id.startsWith('idle')) {
      if (step.status !== 'cached') wrong++;
      continue;
    }
    const summary = JSON.parse(await readFile(step.outputs!.summary!, 'utf8')) as {
      n: number;
      bytes: number;
    };
    if (summary.n !== files.length || summary.bytes !== bytes) {
      wrong++;
      console.log(`wrong: ${step.id} ${step.status} saw ${summary.n} files, ${summary.bytes} bytes`);
    }
  }
  await rm(dir, { recursive: true, force: true });
  report({
    runs,
    seconds,
    cpuPerRunMs,
    counts,
    rssByRun,
    inputChanged,
    start: start!,
    warm: warm!,
    end,
    peakRssMb,
    peakRssAfterWarmupMb,
  });
  for (const [target, n] of leaked ?? []) console.log(`  open fds: ${String(n).padStart(4)}  ${target}`);
  for (const command of childCommands()) console.log(`  child process: ${command.slice(0, 100)}`);
  const bodies = globalThis as { __soakBodies?: number; __soakPeak?: number };
  console.log(
    `reader bodies running at once: peak ${bodies.__soakPeak}, at the end ${bodies.__soakBodies} (jobs bound the peak)`,
  );
  console.log(
    `incorrect: ${wrong} (${failedRuns} runs with a failure other than INPUT_CHANGED; final check: ${files.length} files, ${bytes} bytes, every reader exact and 190 steps cached)`,
  );
  const growth = ((end.rssMb - warm!.rssMb) / warm!.rssMb) * 100;
  console.log(
    JSON.stringify({
      bench: 'engine-watch-soak',
      unit: `RSS growth % from the warm-up run (${warmup}) to the end (lower is better)`,
      ours: Number(growth.toFixed(2)),
      peer: 'target',
      peerValue: 20,
      ratio: Number((growth / 20).toFixed(4)),
    }),
  );
}

interface Summary {
  readonly runs: number;
  readonly seconds: number;
  readonly cpuPerRunMs: number;
  readonly counts: ReadonlyMap<string, number>;
  readonly rssByRun: readonly string[];
  readonly inputChanged: number;
  readonly start: ProcessReading;
  readonly warm: ProcessReading;
  readonly end: ProcessReading;
  readonly peakRssMb: number;
  readonly peakRssAfterWarmupMb: number;
}

function report(s: Summary): void {
  const folder = growing
    ? 'input folder growing by 2 files in 3 changes'
    : `input folder of ≤ ${MAX_FILES} files`;
  console.log(
    `\nwatch soak: ${s.runs} reruns of ${READERS + IDLE} steps, ${folder}, a change every 100 ms; ${s.seconds.toFixed(1)} s, load average ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    `step outcomes over all runs: ${[...s.counts].map(([status, n]) => `${n} ${status}`).join(', ')}`,
  );
  console.log(
    `  failed: ${s.inputChanged} with INPUT_CHANGED (an input file rewritten while the step ran: not cached, rerun by the watch); aborted: cancelled by a newer change, or queued behind a failure`,
  );
  const cols = ['after run 1', `after run ${warmup}`, 'at the end', 'from run 1', `from run ${warmup}`];
  console.log(`${'after a full GC (lower is better)'.padEnd(34)}${cols.map((c) => c.padStart(13)).join('')}`);
  const pct = (from: number, to: number): string =>
    `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(1)} %`;
  const row = (label: string, pick: (r: ProcessReading) => number, digits = 1, growth = true): void => {
    const values = [s.start, s.warm, s.end].map((r) => pick(r).toFixed(digits).padStart(13));
    const changes = growth
      ? [pct(pick(s.start), pick(s.end)), pct(pick(s.warm), pick(s.end))].map((c) => c.padStart(13))
      : [];
    console.log(`${label.padEnd(34)}${values.join('')}${changes.join('')}`);
  };
  row('open file descriptors', (r) => r.fds, 0, false);
  row('child processes', (r) => r.children, 0, false);
  row('RSS MB (target: within 20 %)', (r) => r.rssMb);
  row('V8 heap used MB', (r) => r.heapUsedMb);
  row('V8 heap committed MB', (r) => r.heapTotalMb);
  row('  of which young generation', (r) => r.newSpaceMb);
  row('  of which old space', (r) => r.oldSpaceMb);
  row('external (Buffers) MB', (r) => r.externalMb);
  console.log(
    `peak RSS after any run (no GC): ${s.peakRssMb.toFixed(1)} MB; after run ${warmup}: ${s.peakRssAfterWarmupMb.toFixed(1)} MB (${pct(s.warm.rssMb, s.peakRssAfterWarmupMb)} on the settled RSS after run ${warmup})`,
  );
  console.log(`RSS MB after run N (no GC): ${s.rssByRun.join(', ')}`);
  console.log(`CPU time per rerun after run ${warmup}: ${s.cpuPerRunMs.toFixed(0)} ms (user + system)`);
}

await main();
