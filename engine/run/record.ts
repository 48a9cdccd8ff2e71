/**
 * Writing a run's provenance record.
 */
import { availableParallelism } from 'node:os';
import { writeProvenance } from '../cache/provenance.js';
import type { KeyMaterial, ProvenanceStep } from '../cache/types.js';
import type { Session } from './session.js';
import type { StepReport } from './types.js';

export async function writeRunRecord(
  session: Session,
  steps: readonly StepReport[],
  materials: ReadonlyMap<string, KeyMaterial>,
  outcome: string,
  durationMs: number,
): Promise<string> {
  const { recipe } = session.graph;
  const records: ProvenanceStep[] = steps.map((step) => {
    const full = materials.get(step.id);
    const code = session.graph.instances.get(step.id)?.codeIdentity ?? '';
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
  });
  // `availableParallelism` rather than `cpus().length`: the same count on an unrestricted host,
  // without `os.cpus()` parsing /proc/cpuinfo (13 ms of a 10,000-step no-op rerun, profiled).
  return writeProvenance(session.store.runsDir, {
    provenanceVersion: 1,
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
    steps: records,
  });
}

/** The package version, as built-in steps' code identity (`builtin:<version>`) carries it. */
function asterismVersion(session: Session): string {
  for (const instance of session.graph.instances.values()) {
    if (instance.codeIdentity.startsWith('builtin:')) return instance.codeIdentity.slice('builtin:'.length);
  }
  return 'unknown (no built-in step in this recipe)';
}
