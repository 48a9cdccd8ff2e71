/**
 * A real `StepContext` for running one step in a test: a temporary output folder, a live abort
 * signal, collected log lines and progress calls. (The engine fills defaults with ajv; the steps
 * under test apply their defaults themselves, so params may be partial here.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyStepDefinition, StepContext, StepOutputs } from '../../../../../engine/index.js';

export interface StepRun {
  readonly outDir: string;
  readonly outputs: StepOutputs;
  readonly logs: string[];
  readonly progress: [number, number][];
  cleanup(): Promise<void>;
}

/** Run `step` with `params` in a fresh temporary folder. */
export async function runStep(
  step: AnyStepDefinition,
  params: Record<string, unknown>,
  options: { readonly seed?: number; readonly signal?: AbortSignal } = {},
): Promise<StepRun> {
  const outDir = await mkdtemp(join(tmpdir(), `asterism-${step.name}-`));
  const logs: string[] = [];
  const progress: [number, number][] = [];
  const ctx: StepContext<Record<string, unknown>> = {
    params,
    outDir,
    signal: options.signal ?? new AbortController().signal,
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      debug: (m) => logs.push(`debug: ${m}`),
    },
    progress: (done, total) => progress.push([done, total]),
    seed: options.seed ?? 7,
    provenance: { step: step.name, version: step.version, id: step.name, key: 'test', recipe: 'test' },
    recipeDir: outDir,
  };
  const outputs = await step.run(ctx);
  return { outDir, outputs, logs, progress, cleanup: () => rm(outDir, { recursive: true, force: true }) };
}
