/**
 * Writing a run's provenance record.
 */
import { cpus } from 'node:os';
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
    const material = materials.get(step.id);
    return {
      id: step.id,
      uses: step.uses,
      version: step.version,
      code: session.graph.instances.get(step.id)?.codeIdentity ?? '',
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
    host: { platform: process.platform, arch: process.arch, cpus: cpus().length, gpus: session.gpus },
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
