/**
 * `asterism plan`, `explain` and `show`: what would run and why, without running anything.
 *
 * Keys are computed in topological order from what the cache holds. A step whose upstream must
 * run first cannot have its key computed yet (it depends on bytes not produced): it is
 * `unknown`, and may still turn out cached (early cut-off). Reasons compare the key material
 * with the one recorded for the same instance in the recipe's latest provenance record.
 */
import { latestProvenance, stepMaterial } from '../cache/provenance.js';
import type { KeyMaterial } from '../cache/types.js';
import { AsterismError } from '../errors.js';
import type { RecipeGraph } from '../graph/types.js';
import { diffMaterial, type ResolvedInstance, resolveInstance, type UpstreamOutputs } from './keys.js';
import { entryOutputs, type OutputInfo } from './run-step.js';
import { expandNames, selectInstances } from './selection.js';
import { openSession } from './session.js';
import type { PlanEntry, PlanReport, RunOptions, ShowReport } from './types.js';

interface PlanState {
  readonly report: PlanReport;
  readonly outputs: ReadonlyMap<string, OutputInfo>;
}

async function computePlan(graph: RecipeGraph, options: RunOptions): Promise<PlanState> {
  const session = await openSession(graph, { ...options, gpus: options.gpus ?? 0 });
  const selected = selectInstances(graph, options.only, options.from);
  const forced =
    options.force === undefined ? new Set<string>() : expandNames(graph, options.force, '--force');
  const outputs = new Map<string, OutputInfo>();
  let previous: Map<string, KeyMaterial> | undefined;
  const loadPrevious = async (): Promise<Map<string, KeyMaterial>> => {
    const record = await latestProvenance(session.store.runsDir, graph.recipe.name);
    const materials = new Map<string, KeyMaterial>();
    for (const step of record?.steps ?? []) {
      const material = stepMaterial(step);
      if (material !== undefined) materials.set(step.id, material);
    }
    return materials;
  };
  const entries: PlanEntry[] = [];
  for (const id of graph.order) {
    const instance = graph.instances.get(id)!;
    const base = { id, uses: instance.definition.name };
    const pendingDeps = instance.dependsOn.filter((dep) => !outputs.has(dep));
    if (pendingDeps.length > 0) {
      entries.push({
        ...base,
        action: selected.has(id) ? 'unknown' : 'skipped',
        reasons: [`waits for ${listIds(pendingDeps)} to run first`],
      });
      continue;
    }
    let resolved: ResolvedInstance;
    try {
      const pending = resolveInstance(
        instance,
        outputs as UpstreamOutputs,
        session.inputs,
        session.graph.recipe.name,
      );
      resolved = pending instanceof Promise ? await pending : pending;
    } catch (error) {
      entries.push({
        ...base,
        action: 'run',
        reasons: [error instanceof Error ? error.message : String(error)],
      });
      continue;
    }
    const keyed = { ...base, key: resolved.key };
    const manifest = session.index.lookup(resolved.key);
    if (manifest !== undefined) outputs.set(id, entryOutputs(session, resolved.key, manifest));
    if (!selected.has(id)) {
      entries.push({
        ...keyed,
        action: manifest === undefined ? 'skipped' : 'cached',
        reasons: ['excluded by --only/--from'],
      });
    } else if (forced.has(id)) {
      outputs.delete(id);
      entries.push({ ...keyed, action: 'run', reasons: ['forced (--force)'] });
    } else if (manifest !== undefined) {
      entries.push({ ...keyed, action: 'cached', reasons: [] });
    } else {
      // Awaited once: later steps read the map without a promise each.
      previous ??= await loadPrevious();
      const before = previous.get(id);
      let reasons: string[];
      if (before === undefined) reasons = ['never ran'];
      else {
        reasons = diffMaterial(before, resolved.material);
        if (reasons.length === 0)
          reasons = ['its cache entry is gone (removed by `cache gc`, quarantined, or another cache)'];
      }
      entries.push({ ...keyed, action: 'run', reasons });
    }
  }
  await session.memo.save();
  return { report: { recipe: graph.recipe.name, cacheDir: session.store.root, steps: entries }, outputs };
}

/** What `asterism run` would do, step by step, with reasons. */
export async function planRecipe(graph: RecipeGraph, options: RunOptions = {}): Promise<PlanReport> {
  return (await computePlan(graph, options)).report;
}

/** The plan entries of `stepId` (a step id: all its instances; or one instance id). */
export async function explainStep(
  graph: RecipeGraph,
  stepId: string,
  options: RunOptions = {},
): Promise<PlanEntry[]> {
  const ids = expandNames(graph, [stepId], 'explain');
  const { report } = await computePlan(graph, options);
  return report.steps.filter((entry) => ids.has(entry.id));
}

/** Key, cache status and absolute output paths of `stepId`'s instances. */
export async function showStep(
  graph: RecipeGraph,
  stepId: string,
  options: RunOptions = {},
): Promise<ShowReport[]> {
  const ids = expandNames(graph, [stepId], 'show');
  if (ids.size === 0) throw new AsterismError('UNKNOWN_STEP', `no instance of \`${stepId}\``);
  const { report, outputs } = await computePlan(graph, options);
  return report.steps
    .filter((entry) => ids.has(entry.id))
    .map((entry) => {
      const info = outputs.get(entry.id);
      return {
        step: entry.id,
        status: info === undefined ? 'missing' : 'cached',
        ...(entry.key === undefined ? {} : { key: entry.key }),
        outputs: Object.fromEntries(Object.entries(info ?? {}).map(([name, value]) => [name, value.path])),
      };
    });
}

/** `a`, `b`, `c` and 997 more. */
function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).map((id) => `\`${id}\``);
  return ids.length > 3 ? `${shown.join(', ')} and ${ids.length - 3} more` : shown.join(', ');
}
