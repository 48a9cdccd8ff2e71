/**
 * `--only`, `--from` and `--force`: which instances a run covers.
 */
import { AsterismError } from '../errors.js';
import type { RecipeGraph } from '../graph/types.js';

/** Expand step ids (all their matrix instances) and instance ids; reject unknown names. */
export function expandNames(graph: RecipeGraph, names: readonly string[], option: string): Set<string> {
  const result = new Set<string>();
  for (const name of names) {
    if (name === '*') {
      for (const id of graph.order) result.add(id);
      continue;
    }
    const ids = graph.steps.get(name) ?? (graph.instances.has(name) ? [name] : undefined);
    if (ids === undefined) {
      const known = [...graph.steps.keys()];
      const close = known.find((candidate) => candidate.startsWith(name.slice(0, 3)));
      throw new AsterismError(
        'UNKNOWN_STEP',
        `${option} ${name}: no step or instance \`${name}\` in ${graph.recipe.file}`,
        {
          hint: close === undefined ? `steps: ${known.join(', ')}` : `did you mean \`${close}\`?`,
        },
      );
    }
    for (const id of ids) result.add(id);
  }
  return result;
}

/**
 * Instances the run selects: everything, or `--only` plus what it needs, intersected with
 * `--from` and what depends on it.
 */
export function selectInstances(
  graph: RecipeGraph,
  only?: readonly string[],
  from?: readonly string[],
): Set<string> {
  let selected = new Set(graph.order);
  if (only !== undefined && only.length > 0) {
    const roots = expandNames(graph, only, '--only');
    selected = closure(roots, (id) => graph.instances.get(id)?.dependsOn ?? []);
  }
  if (from !== undefined && from.length > 0) {
    const dependents = new Map<string, string[]>();
    for (const id of graph.order) {
      for (const dep of graph.instances.get(id)!.dependsOn) {
        const list = dependents.get(dep) ?? [];
        list.push(id);
        dependents.set(dep, list);
      }
    }
    const downstream = closure(expandNames(graph, from, '--from'), (id) => dependents.get(id) ?? []);
    selected = new Set([...selected].filter((id) => downstream.has(id)));
  }
  return selected;
}

/** Instances with a selected descendant (including the selected ones): their outputs are needed. */
export function neededInstances(graph: RecipeGraph, selected: ReadonlySet<string>): Set<string> {
  return closure(selected, (id) => graph.instances.get(id)?.dependsOn ?? []);
}

function closure(start: Iterable<string>, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    // A loop, not `push(...list)`: an aggregate of 100,000 instances would pass 100,000 arguments.
    for (const dep of next(id)) stack.push(dep);
  }
  return seen;
}
