/** `asterism validate` and `asterism dag`: read a recipe, report, run nothing. */
import { relative } from 'node:path';
import { DAG_FORMATS, type DagFormat, renderDag } from '../../graph/render.js';
import { stringOption, usageError } from '../args.js';
import { loadFromArgs, RECIPE_OPTIONS_HELP, recipeOptions } from '../recipe-args.js';
import type { CliCommand } from '../types.js';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check a recipe: syntax, steps, params, references, cycles (runs nothing)',
  usage: 'asterism validate RECIPE [--set NAME=VALUE]...',
  help: `Every problem is reported at once, with file:line:col and a fix. Exit code 0 when valid, 2 when not.

Options:
${RECIPE_OPTIONS_HELP}

Examples:
  asterism validate recipes/quickstart.yaml
  asterism validate recipe.yaml --set epochs=50`,
  options: recipeOptions,
  positionals: ['RECIPE'],
  required: 1,
  async run({ values, positionals }, ctx) {
    const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
    const steps = graph.steps.size;
    const instances = graph.order.length;
    const file = relative(ctx.io.cwd, graph.recipe.file) || graph.recipe.file;
    const fanned = instances === steps ? '' : ` (${instances} instances after matrix expansion)`;
    ctx.io.stdout.write(
      `ok: ${file}: recipe \`${graph.recipe.name}\`, ${steps} step${steps === 1 ? '' : 's'}${fanned}\n`,
    );
    return 0;
  },
};

export const dagCommand: CliCommand = {
  name: 'dag',
  summary: 'print the step graph as text, Mermaid or Graphviz dot',
  usage: 'asterism dag RECIPE [--format text|mermaid|dot] [--set NAME=VALUE]...',
  help: `Options:
  --format FORMAT    text (default), mermaid (renders on GitHub), or dot (Graphviz)
${RECIPE_OPTIONS_HELP}

Examples:
  asterism dag recipe.yaml
  asterism dag recipe.yaml --format mermaid > dag.md
  asterism dag recipe.yaml --format dot | dot -Tpng > dag.png`,
  options: { ...recipeOptions, format: { type: 'string', short: 'f' } },
  positionals: ['RECIPE'],
  required: 1,
  async run({ values, positionals }, ctx) {
    const format = stringOption(values, 'format') ?? 'text';
    if (!(DAG_FORMATS as readonly string[]).includes(format)) {
      throw usageError(dagCommand, `unknown --format \`${format}\``, `use one of: ${DAG_FORMATS.join(', ')}`);
    }
    const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
    ctx.io.stdout.write(renderDag(graph, format as DagFormat));
    return 0;
  },
};
