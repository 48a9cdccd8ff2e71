import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProvenance } from '../../../../engine/cache/provenance.js';
import { defineStep } from '../../../../engine/index.js';
import { runRecipe, shellStep } from '../../../../engine/run/index.js';
import { probe, writeText } from './fixtures/fake-steps.js';
import { execEntryCommand, makeGraph, ref, sink, tempDir } from './fixtures/graph.js';

/** A step that signals it started, then waits for its abort signal. */
function waitingStep(started: () => void) {
  return defineStep({
    name: 'waits',
    version: '1',
    description: 'Wait for abort.',
    params: { type: 'object' } as const,
    outputs: { out: 'never' },
    run(ctx) {
      started();
      return new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
    },
  });
}

describe('execution', () => {
  it('aborts running and queued steps when the run is cancelled, caching nothing partial', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const step = waitingStep(() => controller.abort(new Error('Ctrl-C')));
    const graph = makeGraph(dir, [
      { id: 'w', definition: step },
      { id: 'queued', definition: writeText, with: { text: 'q' } },
      { id: 'after', definition: writeText, with: { text: 'a' }, dependsOn: ['w'] },
    ]);
    const report = await runRecipe(graph, {
      stderr: sink().stream,
      jobs: 1,
      gpus: 0,
      signal: controller.signal,
    });
    expect(report.outcome).toBe('aborted');
    expect(report.steps.map((s) => s.status)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
    await expect(readdir(join(dir, '.asterism', 'entries'))).rejects.toThrow();
  });

  it('fails a step that exceeds its timeout, and retries a flaky one', async () => {
    const dir = await tempDir();
    let calls = 0;
    const flaky = defineStep({
      name: 'flaky',
      version: '1',
      description: 'Fails once.',
      params: { type: 'object' } as const,
      outputs: {},
      async run() {
        calls++;
        if (calls === 1) throw new Error('transient');
        return {};
      },
    });
    const graph = makeGraph(dir, [
      { id: 'slow', definition: waitingStep(() => undefined), timeoutMs: 50 },
      { id: 'flaky', definition: flaky, retries: 1 },
    ]);
    const report = await runRecipe(graph, { stderr: sink().stream, gpus: 0, keepGoing: true });
    expect(report.steps[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/timed out after 50 ms/),
    });
    expect(report.steps[1]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('runs shell steps with bash -euo pipefail in $OUT, interpolating references', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [
      { id: 'a', definition: writeText, with: { text: 'hello' } },
      {
        id: 'sh',
        definition: shellStep,
        isolate: true,
        dependsOn: ['a'],
        with: {
          run: {
            $ref: 'interpolate',
            parts: [
              'tr a-z A-Z < ',
              ref('a', 'text'),
              ' > upper.txt; echo "$GREETING" > env.txt; test "$PWD" = "$OUT"',
            ],
          },
          outputs: { upper: 'upper.txt', env: 'env.txt' },
          env: { GREETING: 'hi' },
        },
      },
      {
        id: 'bad',
        definition: shellStep,
        isolate: true,
        with: { run: 'echo about to fail; false; echo never', outputs: {}, env: {} },
      },
    ]);
    const report = await runRecipe(graph, { stderr: sink().stream, gpus: 0, keepGoing: true });
    const sh = report.steps[1]!;
    expect(sh.status).toBe('succeeded');
    expect(await readFile(sh.outputs!.upper!, 'utf8')).toBe('HELLO');
    expect(await readFile(sh.outputs!.env!, 'utf8')).toBe('hi\n');
    const bad = report.steps[2]!;
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/exited with code 1; last output:\n\s+about to fail/);
    expect(await readFile(bad.logFile!, 'utf8')).toMatch(/about to fail/);
  });

  it('runs isolated steps in a child process; a crash fails that step only', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [
      { id: 'child', definition: probe, isolate: true, with: { seed: 7 } },
      { id: 'crash', definition: probe, isolate: true, with: { exitCode: 3 } },
      { id: 'local', definition: probe, with: {} },
    ]);
    const report = await runRecipe(graph, {
      stderr: sink().stream,
      gpus: 0,
      keepGoing: true,
      execStepCommand: execEntryCommand(),
    });
    const [child, crash, local] = report.steps;
    expect(child!.status).toBe('succeeded');
    const facts = JSON.parse(await readFile(child!.outputs!.facts!, 'utf8')) as { pid: number; seed: number };
    expect(facts.pid).not.toBe(process.pid);
    expect(facts.seed).toBe(7);
    expect(crash).toMatchObject({ status: 'failed', error: expect.stringMatching(/exited with code 3/) });
    const localFacts = JSON.parse(await readFile(local!.outputs!.facts!, 'utf8')) as { pid: number };
    expect(localFacts.pid).toBe(process.pid);
    // ctx.reportBackend reaches the step report and the provenance record, from either process.
    expect(child!.backend).toBe(`probe-backend in pid ${facts.pid}`);
    expect(local!.backend).toBe(`probe-backend in pid ${process.pid}`);
    const record = (await readProvenance(report.provenanceFile!))!;
    expect(record.steps.find((step) => step.id === 'child')?.backend).toBe(child!.backend);
    expect(record.steps.find((step) => step.id === 'local')?.backend).toBe(local!.backend);
  });

  it('gives each GPU step its own device via CUDA_VISIBLE_DEVICES', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [
      { id: 'g0', definition: probe, gpu: 1, with: { seed: 1 } },
      { id: 'g1', definition: probe, gpu: 1, with: { seed: 2 } },
    ]);
    const report = await runRecipe(graph, {
      stderr: sink().stream,
      gpus: 2,
      jobs: 2,
      execStepCommand: execEntryCommand(),
    });
    const devices = await Promise.all(
      report.steps.map(
        async (step) => (JSON.parse(await readFile(step.outputs!.facts!, 'utf8')) as { cuda: string }).cuda,
      ),
    );
    // Both ran, each on a single device from {0, 1}.
    expect(devices.every((device) => device === '0' || device === '1')).toBe(true);
  });
});
