/**
 * Drawing a recipe graph for `asterism dag`: Mermaid (renders on GitHub), Graphviz dot, or an
 * indented text list. Matrix instances are drawn one node each, with their readable ids.
 */
import type { RecipeGraph } from './types.js';

export const DAG_FORMATS = ['text', 'mermaid', 'dot'] as const;
export type DagFormat = (typeof DAG_FORMATS)[number];

/** Render `graph` in `format`. */
export function renderDag(graph: RecipeGraph, format: DagFormat): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(graph);
    case 'dot':
      return renderDot(graph);
    case 'text':
      return renderText(graph);
  }
}

function renderMermaid(graph: RecipeGraph): string {
  const ids = new Map<string, string>();
  for (const [index, id] of graph.order.entries()) ids.set(id, `n${index}`);
  const lines = ['flowchart TD'];
  for (const instance of graph.instances.values()) {
    const label = `${instance.id}<br/><i>${instance.definition.name}</i>`.replace(/"/g, '#quot;');
    lines.push(`  ${ids.get(instance.id)}["${label}"]`);
  }
  for (const instance of graph.instances.values()) {
    for (const dep of instance.dependsOn) lines.push(`  ${ids.get(dep)} --> ${ids.get(instance.id)}`);
  }
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function renderDot(graph: RecipeGraph): string {
  const lines = [
    `digraph ${dotString(graph.recipe.name)} {`,
    '  rankdir=TB;',
    '  node [shape=box, fontname="Helvetica"];',
  ];
  for (const instance of graph.instances.values()) {
    lines.push(
      `  ${dotString(instance.id)} [label=${dotString(`${instance.id}\n(${instance.definition.name})`)}];`,
    );
  }
  for (const instance of graph.instances.values()) {
    for (const dep of instance.dependsOn) lines.push(`  ${dotString(dep)} -> ${dotString(instance.id)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function renderText(graph: RecipeGraph): string {
  const lines = [
    `${graph.recipe.name}: ${graph.order.length} step${graph.order.length === 1 ? '' : 's'}, in run order`,
  ];
  for (const instance of graph.instances.values()) {
    const needs = instance.dependsOn.length === 0 ? '' : `  <- ${instance.dependsOn.join(', ')}`;
    lines.push(`  ${instance.id} (${instance.definition.name})${needs}`);
  }
  return `${lines.join('\n')}\n`;
}
