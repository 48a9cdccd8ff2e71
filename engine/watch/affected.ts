/**
 * Which step instances a change touches: the steps that read a changed input, and everything
 * downstream of them.
 */
import { collectRefs } from '../graph/template.js';
import type { RecipeGraph, Template } from '../graph/types.js';

/** Instance ids reading any of `inputNames`, plus their descendants, in graph order. */
export function affectedByInputs(graph: RecipeGraph, inputNames: ReadonlySet<string>): string[] {
  const hit = new Set<string>();
  for (const id of graph.order) {
    const instance = graph.instances.get(id)!;
    const readsInput = collectRefs(instance.with as Template).some(
      (ref) => ref.$ref === 'input' && inputNames.has(ref.name),
    );
    if (readsInput || instance.dependsOn.some((dep) => hit.has(dep))) hit.add(id);
  }
  return graph.order.filter((id) => hit.has(id));
}

/** `a, b, c and 12 more`. */
export function summariseIds(ids: readonly string[], max = 6): string {
  if (ids.length === 0) return 'nothing';
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} and ${ids.length - max} more` : shown;
}
