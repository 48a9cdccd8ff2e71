/**
 * Two `asterism run` processes on the same recipe and cache at the same time, with a forced
 * overlap: the first run holds a step half-way (it waits on a gate file the test controls)
 * while the second starts; the second must report that it is waiting on the first's lock,
 * then reuse the entry. Both finish with the same outputs, every step ran once (counter file),
 * and `asterism cache verify` is clean.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asterism, collect, start } from '../cli/asterism.js';
import { counterLines, listEntries, recipeDir } from './helpers.js';

describe('two runs sharing one cache (real processes)', () => {
  it('the second waits on the first lock, reuses its entries; each step is computed once', async () => {
    const dir = await recipeDir((d) => {
      const q = (name: string) => JSON.stringify(join(d, name));
      const fanOut = Array.from(
        { length: 4 },
        (_, i) => `  leaf${i}:
    uses: count
    with: { text: "\${{ steps.hold.outputs.data }} ${i}", counter: ${q('counter')} }
`,
      ).join('');
      return `  hold:
    uses: gated
    with: { gate: ${q('gate')}, started: ${q('started')}, counter: ${q('counter')} }
${fanOut}`;
    });
    await writeFile(join(dir, 'gate'), '');
    const args = ['run', 'recipe.yaml', '--jobs', '2', '--log-format', 'plain'];
    const first = start(args, dir);
    const firstDone = collect(first);
    await expect.poll(() => existsSync(join(dir, 'started')), { timeout: 30_000, interval: 20 }).toBe(true);

    const second = start(args, dir);
    let secondErr = '';
    second.stderr?.on('data', (chunk: Buffer) => {
      secondErr += chunk.toString();
    });
    const secondDone = collect(second);
    await expect
      .poll(() => secondErr, { timeout: 30_000, interval: 20 })
      .toMatch(new RegExp(`hold: waiting: another run \\(pid ${first.pid}\\) is computing this step`));
    await rm(join(dir, 'gate'));

    const [one, two] = await Promise.all([firstDone, secondDone]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/^cached\s+hold\b/m);
    expect((await counterLines(join(dir, 'counter'))).sort()).toEqual([
      'hold',
      'leaf0',
      'leaf1',
      'leaf2',
      'leaf3',
    ]);

    // Same results: a third look finds every step cached, with the outputs the first run made.
    const entries = await listEntries(join(dir, '.asterism'));
    expect(entries.map((e) => e.complete)).toEqual([true, true, true, true, true]);
    const show = async (step: string) =>
      JSON.parse((await asterism(['show', 'recipe.yaml', step, '--json'], dir)).stdout) as {
        status: string;
        outputs: Record<string, string>;
      };
    const hold = await show('hold');
    const leaf3 = await show('leaf3');
    expect([hold.status, leaf3.status]).toEqual(['cached', 'cached']);
    expect(await readFile(hold.outputs.data!, 'utf8')).toBe('half and the rest');
    expect(await readFile(leaf3.outputs.text!, 'utf8')).toBe(`${hold.outputs.data} 3`);
    const verify = await asterism(['cache', 'verify', '--cache-dir', '.asterism'], dir);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/checked 5 entries: all intact/);
  }, 120_000);
});
