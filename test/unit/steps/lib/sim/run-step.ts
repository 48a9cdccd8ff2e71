/**
 * Run one step in a test through the real step interface: params are validated and defaults
 * filled by ajv exactly as the engine does (useDefaults), in a fresh temporary output folder.
 * Also: helpers to check FITS files with astropy and fitsverify.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { AnyStepDefinition, StepContext, StepOutputs } from '../../../../../engine/index.js';

export interface StepRun {
  readonly outDir: string;
  readonly outputs: StepOutputs;
  readonly logs: string[];
  cleanup(): Promise<void>;
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

/** Validate `params` against the step's schema (filling defaults) and run the step. */
export async function runStep(
  step: AnyStepDefinition,
  params: Record<string, unknown>,
  options: { readonly seed?: number; readonly outDir?: string } = {},
): Promise<StepRun> {
  const filled = structuredClone(params);
  const validate = ajv.compile(step.params as object);
  if (!validate(filled))
    throw new Error(`invalid params for ${step.name}: ${ajv.errorsText(validate.errors)}`);
  const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), `asterism-${step.name}-`)));
  const logs: string[] = [];
  const ctx: StepContext<Record<string, unknown>> = {
    params: filled,
    outDir,
    signal: new AbortController().signal,
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      debug: (m) => logs.push(`debug: ${m}`),
    },
    progress: () => {},
    seed: options.seed ?? 7,
    provenance: { step: step.name, version: step.version, id: step.name, key: 'cafe0123', recipe: 'test' },
    recipeDir: outDir,
  };
  const outputs = await step.run(ctx);
  return { outDir, outputs, logs, cleanup: () => rm(outDir, { recursive: true, force: true }) };
}

/** fitsverify's verdict on a file: `ok` or its report. */
export function fitsverify(path: string): { ok: boolean; report: string } {
  const r = spawnSync('fitsverify', ['-q', '-e', path], { encoding: 'utf8' });
  const report = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0 && /verification OK/.test(report), report };
}

/** Run a Python snippet with /usr/bin/python3 and parse the JSON it prints on its last line. */
export function python<T>(code: string, args: readonly string[] = []): T {
  const out = execFileSync('/usr/bin/python3', ['-c', code, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
