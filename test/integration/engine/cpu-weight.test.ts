/**
 * `resources.cpu: k` holds k of the `--jobs` slots, checked with the real CLI. The plugin's
 * steps run in-process and share one counter of running bodies; each body yields to the event
 * loop several times (no sleeps) so that the scheduler starts the other step meanwhile if it is
 * allowed to. The control recipe (cpu: 1) proves the detector sees an overlap when there is one.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asterism } from '../cli/asterism.js';

const PLUGIN = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
let running = 0;
const turn = () => new Promise((resolve) => setImmediate(resolve));
export const steps = [{
  name: 'busy', version: '1', description: 'Record how many busy bodies ran at once.',
  params: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  outputs: { seen: 'start and end times (ns) and the most bodies seen running at once' },
  async run(ctx) {
    running++;
    let most = running;
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) { await turn(); most = Math.max(most, running); }
    const end = process.hrtime.bigint();
    running--;
    await writeFile(join(ctx.outDir, 'seen.json'), JSON.stringify({ start: String(start), end: String(end), most }));
    return { seen: 'seen.json' };
  },
}];
`;

function recipe(cpu: number): string {
  return `recipe: weights
version: 1
plugins: [plugin.mjs]
steps:
  busy:
    uses: busy
    matrix: { n: [1, 2] }
    resources: { cpu: ${cpu} }
    with: { n: "\${{ matrix.n }}" }
`;
}

interface Seen {
  readonly start: bigint;
  readonly end: bigint;
  readonly most: number;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'asterism-cpu-'));
  await writeFile(join(root, 'plugin.mjs'), PLUGIN);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Run `recipe(cpu)` with `--jobs 2` and read what each instance saw. */
async function runWith(cpu: number): Promise<{ seen: Seen[]; stderr: string }> {
  const file = `cpu-${cpu}.yaml`;
  await writeFile(join(root, file), recipe(cpu));
  const run = await asterism(
    ['run', file, '--jobs', '2', '--log-format', 'plain', '--cache-dir', `cache-${cpu}`],
    root,
  );
  expect(run.code, run.stderr).toBe(0);
  const show = await asterism(['show', file, 'busy', '--json', '--cache-dir', `cache-${cpu}`], root);
  expect(show.code, show.stderr).toBe(0);
  const entries = JSON.parse(show.stdout) as { outputs: { seen: string } }[];
  const seen = await Promise.all(
    entries.map(async (entry) => {
      const raw = JSON.parse(await readFile(entry.outputs.seen, 'utf8')) as Record<string, string | number>;
      return { start: BigInt(raw.start!), end: BigInt(raw.end!), most: Number(raw.most) };
    }),
  );
  return { seen, stderr: run.stderr };
}

describe('weighted CPU slots (asterism run --jobs 2)', () => {
  it('runs two cpu: 1 steps at once (the control: overlap is detected when it happens)', async () => {
    const { seen } = await runWith(1);
    expect(seen.map((s) => s.most)).toEqual([2, 2]);
  });

  it('never overlaps two cpu: 2 steps', async () => {
    const { seen } = await runWith(2);
    expect(seen.map((s) => s.most)).toEqual([1, 1]);
    const [a, b] = seen as [Seen, Seen];
    expect(a.end <= b.start || b.end <= a.start).toBe(true);
  });

  it('runs a claim above --jobs alone, with a note, rather than never', async () => {
    const { seen, stderr } = await runWith(3);
    expect(seen.map((s) => s.most)).toEqual([1, 1]);
    expect(stderr).toMatch(/note {6}busy: claims cpu: 3 but --jobs is 2: it runs with 2 slot\(s\), alone/);
  });
});
