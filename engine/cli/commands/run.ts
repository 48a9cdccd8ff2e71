/** `asterism run|plan|explain|show|verify`: the commands that hand a recipe graph to the scheduler. */
import { relative, resolve } from 'node:path';
import type { RecipeGraph } from '../../graph/types.js';
import type { LogFormat, PlanEntry, RunOptions } from '../../run/index.js';
import { intOption, listOption, stringOption, usageError } from '../args.js';
import { formatError } from '../print-error.js';
import { loadFromArgs, RECIPE_OPTIONS_HELP, recipeOptions, validateInstanceParams } from '../recipe-args.js';
import type { CliCommand, CliContext, OptionValues } from '../types.js';

const LOG_FORMATS: readonly LogFormat[] = ['auto', 'tty', 'plain', 'json'];

/**
 * `--backend` values. The engine knows nothing of ML: the choice travels to the steps (and to
 * `exec-step` children, which inherit the environment) as `ASTERISM_BACKEND`, which
 * `steps/lib/ml/backend.ts` reads. Kept in step with its `BACKEND_PREFERENCES`.
 */
const BACKENDS = ['auto', 'tensorflow', 'native', 'wasm', 'cpu'] as const;

/** The scheduler, loaded when a command needs it, so `validate`, `dag` and `steps` start fast. */
function scheduler(): Promise<typeof import('../../run/index.js')> {
  return import('../../run/index.js');
}

function baseOptions(command: CliCommand, values: OptionValues, ctx: CliContext): RunOptions {
  const cacheDir = stringOption(values, 'cache-dir');
  const logFormat = stringOption(values, 'log-format');
  if (logFormat !== undefined && !(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    throw usageError(
      command,
      `unknown --log-format \`${logFormat}\``,
      `use one of: ${LOG_FORMATS.join(', ')}`,
    );
  }
  return {
    ...(cacheDir === undefined ? {} : { cacheDir: resolve(ctx.io.cwd, cacheDir) }),
    ...(logFormat === undefined ? {} : { logFormat: logFormat as LogFormat }),
    signal: ctx.signal,
    stderr: ctx.io.stderr,
    validateParams: validateInstanceParams,
  };
}

function checkStep(command: CliCommand, graph: RecipeGraph, name: string): void {
  if (graph.steps.has(name) || graph.instances.has(name)) return;
  const names = [...graph.steps.keys()];
  const close = names.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  throw usageError(
    command,
    `recipe \`${graph.recipe.name}\` has no step \`${name}\``,
    close === undefined
      ? `its steps: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}`
      : `did you mean \`${close}\`?`,
  );
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a recipe: only steps whose inputs changed are recomputed',
  usage: 'asterism run RECIPE [options]',
  help: `Options:
${RECIPE_OPTIONS_HELP}
  --only STEP        run only STEP and what it needs (repeatable, or comma-separated)
  --from STEP        run STEP and everything downstream of it (upstream must be cached)
  --force STEP       recompute STEP even when cached ('*' forces every step)
  --jobs N           CPU slots (default: the machine's cores)
  --gpus N           GPU slots (default: GPUs found by nvidia-smi; 0 runs GPU steps on the CPU one at a time)
  --keep-going       continue independent branches after a failure
  --dry-run          show what would run and why (the plan), run nothing
  --log-format FMT   auto (default), tty, plain, or json (one JSON object per line)
  --quiet, -q        report only failed, blocked and aborted steps, warnings and notes, then the
                     outcome line (no line per succeeded or cached step, no live lines, no table)
  --backend NAME     ML backend for model steps: auto (default), tensorflow, native, wasm or cpu
                     (sets ASTERISM_BACKEND for the run and the step processes it starts)
  --watch, -w        run, then keep watching the recipe, its plugins and every declared input;
                     each change reruns what it touches and prints what changed and what reruns.
                     An invalid recipe edit prints the error and keeps the last good recipe.
                     Ctrl-C stops (exit 130)

Exit code: 0 every step succeeded or was cached, 1 a step failed, 2 invalid recipe or options, 130 interrupted.

Examples:
  asterism run recipes/quickstart.yaml
  asterism run recipe.yaml --set epochs=50 --jobs 4
  asterism run recipe.yaml --only unet --force unet
  asterism run recipe.yaml --log-format json 2> run.jsonl
  asterism run recipe.yaml --quiet     # e.g. from cron: silent but for problems and the outcome
  asterism run recipe.yaml --backend wasm
  asterism run recipe.yaml --watch     # then e.g.: inputs.references: 1 added (data/ref/f12.fits) → rerun: diff[f12], unet, metrics`,
  options: {
    ...recipeOptions,
    only: { type: 'string', multiple: true },
    from: { type: 'string', multiple: true },
    force: { type: 'string', multiple: true },
    jobs: { type: 'string', short: 'j' },
    gpus: { type: 'string' },
    'keep-going': { type: 'boolean', short: 'k' },
    'dry-run': { type: 'boolean', short: 'n' },
    'log-format': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    backend: { type: 'string' },
    watch: { type: 'boolean', short: 'w' },
  },
  positionals: ['RECIPE'],
  required: 1,
  async run({ values, positionals }, ctx) {
    const jobs = intOption(runCommand, values, 'jobs', 1);
    const gpus = intOption(runCommand, values, 'gpus', 0);
    const backend = stringOption(values, 'backend');
    if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
      throw usageError(runCommand, `unknown --backend \`${backend}\``, `use one of: ${BACKENDS.join(', ')}`);
    }
    const watch = values.watch === true;
    if (watch && values['dry-run'] === true) {
      throw usageError(
        runCommand,
        '--watch and --dry-run cannot be combined',
        'use `asterism plan RECIPE` to see what would run',
      );
    }
    const only = listOption(values, 'only');
    const from = listOption(values, 'from');
    const force = listOption(values, 'force');
    const load = async (): Promise<RecipeGraph> => {
      const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
      for (const name of [...only, ...from, ...force]) if (name !== '*') checkStep(runCommand, graph, name);
      return graph;
    };
    const graph = await load();
    const options: RunOptions = {
      ...baseOptions(runCommand, values, ctx),
      ...(only.length === 0 ? {} : { only }),
      ...(from.length === 0 ? {} : { from }),
      ...(force.length === 0 ? {} : { force }),
    };
    if (values['dry-run'] === true) {
      // A dry run answers "what would run, and why": exactly the plan, with its reasons.
      const plan = await (await scheduler()).planRecipe(graph, options);
      ctx.io.stdout.write(`${planLines(plan.steps).join('\n')}\n`);
      return 0;
    }
    const runOptions: RunOptions = {
      ...options,
      ...(jobs === undefined ? {} : { jobs }),
      ...(gpus === undefined ? {} : { gpus }),
      keepGoing: values['keep-going'] === true,
      quiet: values.quiet === true,
    };
    // Set for this process and so inherited by every step process it starts.
    if (backend !== undefined) process.env.ASTERISM_BACKEND = backend;
    if (watch) return watchRun(graph, load, runOptions, ctx);
    const report = await (await scheduler()).runRecipe(graph, runOptions);
    return report.outcome === 'ok' ? 0 : report.outcome === 'aborted' ? 130 : 1;
  },
};

/**
 * `run --watch`: hand the already-validated graph to `watchRecipe` for the first run, and
 * reload the recipe on later changes. Watch messages (what changed, what reruns, a broken
 * recipe's located error) go to stdout; the run log stays on stderr, so `--log-format json`
 * output remains one JSON object per line.
 */
async function watchRun(
  first: RecipeGraph,
  load: () => Promise<RecipeGraph>,
  options: RunOptions,
  ctx: CliContext,
): Promise<number> {
  const { watchRecipe } = await import('../../watch/index.js');
  let initial: RecipeGraph | undefined = first;
  await watchRecipe({
    ...options,
    signal: ctx.signal,
    messages: ctx.io.stdout,
    load: async () => {
      const graph = initial ?? (await load());
      initial = undefined;
      return graph;
    },
    formatError: (error) => formatError(error, ctx.io.cwd).trimEnd(),
  });
  // Watch mode ends only when stopped (Ctrl-C, SIGTERM).
  return 130;
}

/** `path` relative to `cwd` when it is inside it, else absolute. */
function shortPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

function planLines(entries: readonly PlanEntry[]): string[] {
  const width = Math.max(4, ...entries.map((entry) => entry.id.length));
  return entries.map((entry) => {
    // A step waiting on thousands of instances would print them all: keep one screen line.
    const text = entry.reasons.join('; ');
    const reasons = text === '' ? '' : `  ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
    return `  ${entry.action.padEnd(7)} ${entry.id.padEnd(width)}${reasons}`;
  });
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'say what `run` would compute and why (never ran, param changed, input changed)',
  usage: 'asterism plan RECIPE [--json] [--set NAME=VALUE]...',
  help: `Options:
${RECIPE_OPTIONS_HELP}
  --json             print the plan as JSON

Examples:
  asterism plan recipe.yaml
  asterism plan recipe.yaml --set epochs=50`,
  options: { ...recipeOptions, json: { type: 'boolean' } },
  positionals: ['RECIPE'],
  required: 1,
  async run({ values, positionals }, ctx) {
    const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
    const report = await (await scheduler()).planRecipe(graph, baseOptions(planCommand, values, ctx));
    if (values.json === true) {
      ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const count = (action: string): number => report.steps.filter((entry) => entry.action === action).length;
    const toRun = count('run') + count('unknown');
    ctx.io.stdout.write(
      `plan for ${graph.recipe.name}: ${toRun} to run, ${count('cached')} cached (cache: ${shortPath(ctx.io.cwd, report.cacheDir)})\n`,
    );
    ctx.io.stdout.write(`${planLines(report.steps).join('\n')}\n`);
    return 0;
  },
};

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'say why a step would run (or ran): which param, input or version changed',
  usage: 'asterism explain RECIPE STEP [--json] [--set NAME=VALUE]...',
  help: `STEP is a step id (all its matrix instances) or one instance id such as 'traverse[direction=tuf]'.

Options:
${RECIPE_OPTIONS_HELP}
  --json             print the entries as JSON

Examples:
  asterism explain recipe.yaml unet
  asterism explain recipe.yaml 'traverse[direction=tuf]'`,
  options: { ...recipeOptions, json: { type: 'boolean' } },
  positionals: ['RECIPE', 'STEP'],
  required: 2,
  async run({ values, positionals }, ctx) {
    const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
    const step = positionals[1]!;
    checkStep(explainCommand, graph, step);
    const entries = await (await scheduler()).explainStep(
      graph,
      step,
      baseOptions(explainCommand, values, ctx),
    );
    if (values.json === true) ctx.io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else ctx.io.stdout.write(`${planLines(entries).join('\n')}\n`);
    return 0;
  },
};

export const showCommand: CliCommand = {
  name: 'show',
  summary: "print a step's status, cache key and the absolute paths of its outputs",
  usage: 'asterism show RECIPE STEP [--json] [--set NAME=VALUE]...',
  help: `With --json: {"step", "status", "key", "outputs": {name: path}} (a list for a matrix step).

Options:
${RECIPE_OPTIONS_HELP}
  --json             print JSON

Examples:
  asterism show recipe.yaml diff
  ds9 $(asterism show recipe.yaml diff --json | jq -r .outputs.difference)`,
  options: { ...recipeOptions, json: { type: 'boolean' } },
  positionals: ['RECIPE', 'STEP'],
  required: 2,
  async run({ values, positionals }, ctx) {
    const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
    const step = positionals[1]!;
    checkStep(showCommand, graph, step);
    const reports = await (await scheduler()).showStep(graph, step, baseOptions(showCommand, values, ctx));
    if (values.json === true) {
      // A matrix step is a list even with one instance, so scripts can rely on the shape.
      const first = graph.steps.get(step)?.[0];
      const matrix = first !== undefined && graph.instances.get(first)?.matrix !== undefined;
      const single = reports.length === 1 && !matrix ? reports[0] : reports;
      ctx.io.stdout.write(`${JSON.stringify(single, null, 2)}\n`);
      return 0;
    }
    for (const report of reports) {
      ctx.io.stdout.write(
        `${report.step}: ${report.status}${report.key === undefined ? '' : `  key ${report.key}`}\n`,
      );
      for (const [name, path] of Object.entries(report.outputs)) ctx.io.stdout.write(`  ${name}: ${path}\n`);
    }
    return 0;
  },
};

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'rerun a recipe in a fresh cache and compare every output with its lock file',
  usage: 'asterism verify RECIPE [--lock FILE] [--keep-cache] [--json] [--set NAME=VALUE]...',
  help: `Reproduces a published pipeline: each step is reported same, differs, expected-difference
(a step declared deterministic: false), not-in-lock or failed. Exit code 0 when reproduced, 1 otherwise.

Options:
${RECIPE_OPTIONS_HELP}
  --lock FILE        the lock file (default: <recipe name>.lock.yaml beside the recipe)
  --keep-cache       keep the temporary cache to inspect differing outputs
  --jobs N           CPU slots
  --json             print the report as JSON

Examples:
  asterism verify recipes/quickstart.yaml
  asterism verify paper.yaml --lock paper.lock.yaml --keep-cache`,
  options: {
    ...recipeOptions,
    lock: { type: 'string' },
    'keep-cache': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    json: { type: 'boolean' },
    'log-format': { type: 'string' },
  },
  positionals: ['RECIPE'],
  required: 1,
  async run({ values, positionals }, ctx) {
    const jobs = intOption(verifyCommand, values, 'jobs', 1);
    const lockFile = stringOption(values, 'lock');
    const { graph } = await loadFromArgs(positionals[0]!, values, ctx);
    const report = await (await scheduler()).verifyRecipe(graph, {
      ...baseOptions(verifyCommand, values, ctx),
      ...(jobs === undefined ? {} : { jobs }),
      ...(lockFile === undefined ? {} : { lockFile: resolve(ctx.io.cwd, lockFile) }),
      keepCache: values['keep-cache'] === true,
    });
    if (values.json === true) ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const width = Math.max(4, ...report.steps.map((step) => step.id.length));
      for (const step of report.steps) {
        const diffs = step.differences
          .map((d) => `${d.output}: ${d.locked ?? '-'} != ${d.actual ?? '-'}`)
          .join('; ');
        ctx.io.stdout.write(
          `  ${step.verdict.padEnd(19)} ${diffs === '' ? step.id : `${step.id.padEnd(width)}  ${diffs}`}\n`,
        );
      }
      ctx.io.stdout.write(
        report.reproduced
          ? `reproduced: every deterministic output matches ${report.lockFile}\n`
          : `NOT reproduced (compare with ${report.lockFile})\n`,
      );
    }
    return report.reproduced ? 0 : 1;
  },
};
