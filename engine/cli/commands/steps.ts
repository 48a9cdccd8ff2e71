/** `asterism steps [NAME]` and `asterism schema`: what steps exist and what they take. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AsterismError } from '../../errors.js';
import { didYouMean } from '../../recipe/did-you-mean.js';
import { editorSchema } from '../../recipe/editor-schema.js';
import type { RegisteredStep, StepRegistry } from '../../registry.js';
import { stringOption } from '../args.js';
import type { CliCommand, CliContext, OptionValues } from '../types.js';

async function registryFor(values: OptionValues, ctx: CliContext): Promise<StepRegistry> {
  const recipe = stringOption(values, 'recipe');
  if (recipe === undefined) return ctx.registry.loadAll();
  const { loadRecipe } = await import('../../recipe/load.js');
  return (await loadRecipe(resolve(ctx.io.cwd, recipe), { registry: ctx.registry })).registry.loadAll();
}

interface ParamSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly items?: ParamSchema;
  readonly minimum?: number;
  readonly maximum?: number;
}

function typeText(schema: ParamSchema): string {
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join('|');
  const type = Array.isArray(schema.type) ? schema.type.join('|') : (schema.type ?? 'any');
  if (type === 'array' && schema.items !== undefined) return `list of ${typeText(schema.items)}`;
  const range =
    schema.minimum !== undefined || schema.maximum !== undefined
      ? ` [${schema.minimum ?? ''}..${schema.maximum ?? ''}]`
      : '';
  return `${type}${range}`;
}

/** The documentation of one step, as `asterism steps NAME` prints it. */
export function describeStep(step: RegisteredStep): string {
  const { definition } = step;
  const schema = definition.params as {
    properties?: Record<string, ParamSchema>;
    required?: readonly string[];
  };
  const required = new Set(schema.required ?? []);
  const lines = [`${definition.name} (version ${definition.version})`, `  ${definition.description}`];
  lines.push(step.module === undefined ? '  built-in step' : `  from plugin ${step.module}`);
  lines.push('', 'params (under `with:`):');
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) lines.push('  (none)');
  const width = Math.max(0, ...properties.map(([name]) => name.length));
  for (const [name, property] of properties) {
    const status = required.has(name)
      ? 'required'
      : property.default === undefined
        ? 'optional'
        : `default ${JSON.stringify(property.default)}`;
    lines.push(
      `  ${name.padEnd(width)}  ${typeText(property)}, ${status}${property.description ? `: ${property.description}` : ''}`,
    );
  }
  lines.push('', 'outputs (`${{ steps.ID.outputs.NAME }}`):');
  const outputs = Object.entries(definition.outputs);
  if (outputs.length === 0) lines.push('  (named by `with.outputs`)');
  for (const [name, description] of outputs) lines.push(`  ${name}: ${description}`);
  const r = definition.resources ?? {};
  lines.push(
    '',
    `resources: cpu ${r.cpu ?? 1}, gpu ${r.gpu ?? 0}${r.memoryMb ? `, memory ${r.memoryMb} MiB` : ''}`,
  );
  if (definition.deterministic === false) lines.push('deterministic: false (verify tolerates differences)');
  const example = properties.filter(([name]) => required.has(name)).map(([name]) => `      ${name}: ...`);
  lines.push('', 'example:', '  steps:', `    my-${definition.name}:`, `      uses: ${definition.name}`);
  if (example.length > 0) lines.push('      with:', ...example.map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}

export const stepsCommand: CliCommand = {
  name: 'steps',
  summary: 'list the registered steps, or document one: params, outputs, resources',
  usage: 'asterism steps [NAME] [--recipe RECIPE] [--json]',
  help: `Options:
  --recipe RECIPE    also list the steps of this recipe's plugins
  --json             machine-readable output (name, version, description, params schema, outputs)

Examples:
  asterism steps
  asterism steps shell
  asterism steps --recipe recipe.yaml my-plugin-step`,
  options: { recipe: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  positionals: ['NAME'],
  required: 0,
  async run({ values, positionals }, ctx) {
    const registry = await registryFor(values, ctx);
    const name = positionals[0];
    const json = values.json === true;
    if (name !== undefined) {
      const step = registry.get(name);
      if (step === undefined) {
        const hint = didYouMean(name, registry.names());
        throw new AsterismError('UNKNOWN_STEP', `no step named \`${name}\``, {
          hint: hint || 'run `asterism steps` for the list',
        });
      }
      ctx.io.stdout.write(json ? `${JSON.stringify(toJson(step), null, 2)}\n` : describeStep(step));
      return 0;
    }
    const steps = registry.list();
    if (json) {
      ctx.io.stdout.write(`${JSON.stringify(steps.map(toJson), null, 2)}\n`);
      return 0;
    }
    const width = Math.max(0, ...steps.map((step) => step.definition.name.length));
    for (const step of steps)
      ctx.io.stdout.write(`${step.definition.name.padEnd(width)}  ${step.definition.description}\n`);
    ctx.io.stdout.write(`\n${steps.length} steps; \`asterism steps NAME\` documents one.\n`);
    return 0;
  },
};

function toJson(step: RegisteredStep): object {
  const { definition } = step;
  return {
    name: definition.name,
    version: definition.version,
    description: definition.description,
    params: definition.params,
    outputs: definition.outputs,
    resources: definition.resources ?? {},
    ...(step.module === undefined ? {} : { plugin: step.module }),
  };
}

/** The editor schema as committed text (stable key order, trailing newline). */
export function schemaText(registry: StepRegistry): string {
  return `${JSON.stringify(editorSchema(registry), null, 2)}\n`;
}

export const schemaCommand: CliCommand = {
  name: 'schema',
  summary: 'print the recipe JSON Schema (for editors), generated from the registered steps',
  usage: 'asterism schema [--write [FILE]] [--recipe RECIPE]',
  help: `Start a recipe with
  # yaml-language-server: $schema=../schemas/recipe.schema.json
and editors with the YAML language server complete step names and their params.

Options:
  --write            write to schemas/recipe.schema.json (or --out FILE) instead of stdout
  --out FILE         the file --write writes
  --recipe RECIPE    include the steps of this recipe's plugins

Examples:
  asterism schema > schemas/recipe.schema.json
  asterism schema --write`,
  options: {
    write: { type: 'boolean' },
    out: { type: 'string' },
    recipe: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: [],
  required: 0,
  async run({ values }, ctx) {
    const text = schemaText(await registryFor(values, ctx));
    if (values.write !== true) {
      ctx.io.stdout.write(text);
      return 0;
    }
    const file = resolve(ctx.io.cwd, stringOption(values, 'out') ?? 'schemas/recipe.schema.json');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    ctx.io.stderr.write(`wrote ${file}\n`);
    return 0;
  },
};
