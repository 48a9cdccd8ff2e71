/**
 * Watch-mode soak: 50 watch-triggered reruns of a 200-step recipe while an input folder changes
 * every 100 ms. Checks that file handles and child processes do not leak, that memory stays flat
 * (within 20 %), and that every rerun is correct (each reader step saw the folder's files).
 *
 *   npm run bench:engine-soak [-- --runs 50]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadRecipe } from '../engine/recipe/load.js';
import { StepRegistry } from '../engine/registry.js';
import type { RunReport } from '../engine/run/index.js';
import { shellStep } from '../engine/run/index.js';
import type { AnyStepDefinition } from '../engine/step.js';
import { watchRecipe } from '../engine/watch/index.js';

const runsWanted = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 50;
const READERS = 10;
const IDLE = 190;

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

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

function childProcesses(): number {
  try {
    return (
      execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid='], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean).length - 1
    ); // minus ps itself
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'asterism-soak-'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'f0.txt'), 'x');
  await writeFile(join(dir, 'plugin.mjs'), PLUGIN);
  const list = (n: number): string => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;
  await writeFile(
    join(dir, 'soak.yaml'),
    `recipe: soak
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
`,
  );
  const registry = StepRegistry.fromBuiltins([shellStep as AnyStepDefinition]);
  const load = async () => (await loadRecipe(join(dir, 'soak.yaml'), { registry })).graph;
  const controller = new AbortController();
  const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  // Only the last report and the counts are kept: holding every report would itself grow memory.
  let runs = 0;
  let last: RunReport | undefined;
  const counts = new Map<string, number>();
  let wrong = 0;
  let baseline:
    | {
        fds: number;
        rssMb: number;
        heapMb: number;
        heapTotalMb: number;
        externalMb: number;
        children: number;
      }
    | undefined;
  let fileIndex = 1;
  let changer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const watching = watchRecipe({
    load,
    signal: controller.signal,
    stderr: quiet,
    logFormat: 'plain',
    summary: false,
    gpus: 0,
    onRun: (report) => {
      runs++;
      last = report;
      for (const step of report.steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
      if (report.outcome === 'failed') wrong++;
      if (runs === 1) {
        global.gc?.();
        baseline = {
          fds: openFds(),
          rssMb: process.memoryUsage().rss / 2 ** 20,
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
          heapTotalMb: process.memoryUsage().heapTotal / 2 ** 20,
          externalMb: process.memoryUsage().external / 2 ** 20,
          children: childProcesses(),
        };
        // Change the input folder every 100 ms: add a file, or rewrite one.
        changer = setInterval(() => {
          const k = fileIndex++;
          const name = k % 3 === 0 ? `f${k % 7}.txt` : `f${k}.txt`;
          void writeFile(join(dir, 'data', name), 'y'.repeat(k % 50));
        }, 100);
      }
      if (runs >= runsWanted) controller.abort();
    },
  });
  await watching;
  if (changer !== undefined) clearInterval(changer);
  const seconds = (performance.now() - started) / 1000;
  // Correctness of the last run: every reader saw exactly the folder's files.
  const files = readdirSync(join(dir, 'data')).filter((name) => name.endsWith('.txt'));
  for (const step of last!.steps.filter((s) => s.id.startsWith('reader'))) {
    if (step.status !== 'succeeded' && step.status !== 'cached') continue;
    const summary = JSON.parse(await readFile(step.outputs!.summary!, 'utf8')) as { n: number };
    if (summary.n > files.length) wrong++;
  }
  global.gc?.();
  const end = {
    fds: openFds(),
    rssMb: process.memoryUsage().rss / 2 ** 20,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    heapTotalMb: process.memoryUsage().heapTotal / 2 ** 20,
    externalMb: process.memoryUsage().external / 2 ** 20,
    children: childProcesses(),
  };
  const growth = baseline === undefined ? 0 : ((end.rssMb - baseline.rssMb) / baseline.rssMb) * 100;
  console.log(
    `\nwatch soak: ${runs} reruns of ${READERS + IDLE} steps, input folder changed every 100 ms, ${seconds.toFixed(1)} s`,
  );
  console.log(
    `step outcomes over all runs: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`,
  );
  console.log(`${'measure'.padEnd(28)} ${'after run 1'.padStart(12)} ${'at the end'.padStart(12)}`);
  console.log(
    `${'open file descriptors'.padEnd(28)} ${String(baseline?.fds).padStart(12)} ${String(end.fds).padStart(12)}`,
  );
  console.log(
    `${'child processes'.padEnd(28)} ${String(baseline?.children).padStart(12)} ${String(end.children).padStart(12)}`,
  );
  console.log(
    `${'RSS MB'.padEnd(28)} ${baseline?.rssMb.toFixed(1).padStart(12)} ${end.rssMb.toFixed(1).padStart(12)}  (${growth.toFixed(1)} %; target within 20 %)`,
  );
  const heapGrowth = baseline === undefined ? 0 : ((end.heapMb - baseline.heapMb) / baseline.heapMb) * 100;
  console.log(
    `${'V8 heap used MB (after gc)'.padEnd(28)} ${baseline?.heapMb.toFixed(1).padStart(12)} ${end.heapMb.toFixed(1).padStart(12)}  (${heapGrowth.toFixed(1)} %)`,
  );
  // Where RSS goes when the used heap is flat: reserved V8 pages and off-heap (Buffer) memory.
  console.log(
    `${'V8 heap reserved MB'.padEnd(28)} ${baseline?.heapTotalMb.toFixed(1).padStart(12)} ${end.heapTotalMb.toFixed(1).padStart(12)}`,
  );
  console.log(
    `${'external (Buffers) MB'.padEnd(28)} ${baseline?.externalMb.toFixed(1).padStart(12)} ${end.externalMb.toFixed(1).padStart(12)}`,
  );
  const bodies = globalThis as { __soakBodies?: number; __soakPeak?: number };
  console.log(
    `${'reader bodies running'.padEnd(28)} ${'peak'.padStart(12)} ${String(bodies.__soakPeak).padStart(12)}  (at the end: ${bodies.__soakBodies}; jobs bound the peak)`,
  );
  if (baseline !== undefined && end.fds > baseline.fds) {
    // Say what leaked: descriptors grouped by target, digits folded.
    const targets = new Map<string, number>();
    for (const fd of readdirSync('/proc/self/fd')) {
      let target = '(closed meanwhile)';
      try {
        target = readlinkSync(`/proc/self/fd/${fd}`).replace(/[0-9]+/g, 'N');
      } catch {}
      targets.set(target, (targets.get(target) ?? 0) + 1);
    }
    for (const [target, n] of targets) console.log(`  open fds: ${String(n).padStart(4)}  ${target}`);
  }
  console.log(`incorrect runs: ${wrong}`);
  await rm(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      bench: 'engine-watch-soak',
      unit: 'RSS growth % over the soak (lower is better)',
      ours: Number(growth.toFixed(2)),
      peer: 'target',
      peerValue: 20,
      ratio: Number((growth / 20).toFixed(4)),
    }),
  );
}

await main();
