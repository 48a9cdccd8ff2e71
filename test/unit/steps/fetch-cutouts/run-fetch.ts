/** Run fetch-cutouts through the real step interface (ajv defaults as the engine fills them). */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { StepContext } from '../../../../engine/index.js';
import { fetchCutouts } from '../../../../steps/fetch-cutouts/index.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(fetchCutouts.params as object);

export interface FetchRun {
  readonly outDir: string;
  readonly error: unknown;
  readonly logs: string[];
  readonly progress: Array<[number, number]>;
  /** Every file under outDir (relative), hidden ones included: no scratch or partial files. */
  files(): string[];
  cleanup(): void;
}

/** Fast retry defaults for tests: no real waiting anywhere. */
export const FAST = {
  requestsPerSecond: 1000,
  backoffSeconds: 0.001,
  timeoutSeconds: 5,
  retries: 2,
} as const;

export async function runFetch(params: Record<string, unknown>, signal?: AbortSignal): Promise<FetchRun> {
  const filled = structuredClone(params);
  if (!validate(filled)) throw new Error(`invalid params: ${ajv.errorsText(validate.errors)}`);
  const outDir = mkdtempSync(join(tmpdir(), 'asterism-fetch-test-'));
  const logs: string[] = [];
  const progress: Array<[number, number]> = [];
  const ctx = {
    params: filled,
    outDir,
    signal: signal ?? new AbortController().signal,
    log: {
      info: (m: string) => logs.push(`info: ${m}`),
      warn: (m: string) => logs.push(`warn: ${m}`),
      debug: (m: string) => logs.push(`debug: ${m}`),
    },
    progress: (done: number, total: number) => progress.push([done, total]),
    seed: 1,
    provenance: { step: 'fetch-cutouts', version: '1', id: 'cutouts', key: 'cafe0123', recipe: 'test' },
    recipeDir: outDir,
  } as unknown as StepContext<Parameters<typeof fetchCutouts.run>[0]['params']>;
  let error: unknown;
  try {
    await fetchCutouts.run(ctx);
  } catch (e) {
    error = e;
  }
  const files = (): string[] => {
    const out: string[] = [];
    const walk = (dir: string, prefix: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
        else out.push(`${prefix}${e.name}`);
      }
    };
    walk(outDir, '');
    return out.sort();
  };
  return {
    outDir,
    error,
    logs,
    progress,
    files,
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
