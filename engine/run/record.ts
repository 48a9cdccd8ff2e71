/**
 * Writing a run's provenance record.
 */
import { availableParallelism } from 'node:os';
import { sha256Hex } from '../cache/canonical-json.js';
import { type RecordedSteps, writeProvenance } from '../cache/provenance.js';
import type { KeyMaterial, ProvenanceStep } from '../cache/types.js';
import type { Session } from './session.js';
import type { StepReport } from './types.js';

/** A run's steps as its record will hold them: named now, built only if no run wrote them yet. */
export function recordSteps(
  session: Session,
  steps: readonly StepReport[],
  materials: ReadonlyMap<string, KeyMaterial>,
): RecordedSteps {
  const { instances } = session.graph;
  const codes = steps.map((step) => instances.get(step.id)?.codeIdentity ?? '');
  return {
    id: stepsId(steps, codes, materials),
    count: steps.length,
    build: () => steps.map((step, i) => provenanceStep(step, codes[i]!, materials.get(step.id))),
  };
}

export async function writeRunRecord(
  session: Session,
  steps: RecordedSteps,
  outcome: string,
  durationMs: number,
): Promise<string> {
  const { recipe } = session.graph;
  // `availableParallelism` rather than `cpus().length`: the same count on an unrestricted host,
  // without `os.cpus()` parsing /proc/cpuinfo (13 ms of a 10,000-step no-op rerun, profiled).
  return writeProvenance(
    session.store.runsDir,
    {
      recipe: recipe.name,
      recipeFile: recipe.file,
      startedAt: session.startedAt.toISOString(),
      durationMs,
      outcome,
      params: recipe.params,
      inputs: recipe.inputs,
      plugins: recipe.plugins,
      tools: { asterism: asterismVersion(session), node: process.version },
      host: {
        platform: process.platform,
        arch: process.arch,
        cpus: availableParallelism(),
        gpus: session.gpus,
      },
    },
    steps,
  );
}

/** What the record says of one step. */
export function provenanceStep(
  step: StepReport,
  code: string,
  full: KeyMaterial | undefined,
): ProvenanceStep {
  // What the step's own fields already say is not repeated (see `ProvenanceStep.material`).
  const material =
    full !== undefined && full.uses === step.uses && full.version === step.version && full.code === code
      ? { format: full.format, params: full.params, seed: full.seed }
      : full;
  return {
    id: step.id,
    uses: step.uses,
    version: step.version,
    code,
    status: step.status,
    durationMs: step.durationMs,
    attempts: step.attempts,
    ...(step.key === undefined ? {} : { key: step.key }),
    ...(step.outputHashes === undefined ? {} : { outputs: step.outputHashes }),
    ...(step.backend === undefined ? {} : { backend: step.backend }),
    ...(step.error === undefined ? {} : { error: step.error }),
    ...(material === undefined ? {} : { material }),
  };
}

/**
 * The name of a run's steps file: sha256 of the JSON of every field `provenanceStep` writes,
 * except the material's content, which its key already stands for (the key is the sha256 of the
 * material). One `JSON.stringify` of a row per step: unambiguous, and about half the cost of
 * serializing the steps themselves, which a no-op rerun then neither builds nor writes.
 */
export function stepsId(
  steps: readonly StepReport[],
  codes: readonly string[],
  materials: ReadonlyMap<string, KeyMaterial>,
): string {
  // Each step's (uses, version, code) as an index into a table of the distinct ones: the code
  // identity alone is ~80 characters, the same for every instance of a step.
  const kinds: (readonly [string, string, string])[] = [];
  const kindIndex = new Map<string, number>();
  let last: readonly [string, string, string] | undefined;
  let lastIndex = -1;
  const rows = new Array<unknown[]>(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const code = codes[i]!;
    if (last === undefined || last[0] !== step.uses || last[1] !== step.version || last[2] !== code) {
      last = [step.uses, step.version, code];
      const name = JSON.stringify(last);
      lastIndex = kindIndex.get(name) ?? kinds.push(last) - 1;
      kindIndex.set(name, lastIndex);
    }
    rows[i] = [
      step.id,
      lastIndex,
      step.status,
      step.durationMs,
      step.attempts,
      step.key ?? null,
      materials.has(step.id),
      step.outputHashes ?? null,
      step.backend ?? null,
      step.error ?? null,
    ];
  }
  return sha256Hex(`asterism provenance steps 2\n${JSON.stringify(kinds)}\n${JSON.stringify(rows)}`);
}

/** The package version, as built-in steps' code identity (`builtin:<version>`) carries it. */
function asterismVersion(session: Session): string {
  for (const instance of session.graph.instances.values()) {
    if (instance.codeIdentity.startsWith('builtin:')) return instance.codeIdentity.slice('builtin:'.length);
  }
  return 'unknown (no built-in step in this recipe)';
}
