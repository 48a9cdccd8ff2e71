import { describe, expect, it } from 'vitest';
import type { StepInstance } from '../../../../engine/graph/types.js';
import { codesOf, fixtureDir, HEADER, load, problemsOf } from './helpers.js';

const VALID = `${HEADER}params:
  base: 40
  labels: [alpha, beta]
  title: report
inputs:
  table: data/*.csv
steps:
  make:
    uses: make
    matrix: { label: "\${{ params.labels }}" }
    with: { n: "\${{ params.base }}", label: "\${{ matrix.label }}" }
  combine:
    uses: combine
    with:
      items: \${{ steps.make.outputs.data }}
      title: "\${{ params.title }} of \${{ params.base }} from \${{ inputs.table }}"
  last:
    uses: make
    needs: combine
    timeout: 1h30m
    resources: { cpu: 2 }
    with:
      n: \${{ params.base }}
`;

describe('loadRecipe on a valid recipe', () => {
  it('expands the matrix into readable instance ids, in dependency order', async () => {
    const graph = await load(VALID);
    expect(graph.order).toEqual(['make[label=alpha]', 'make[label=beta]', 'combine', 'last']);
    expect(graph.steps.get('make')).toEqual(['make[label=alpha]', 'make[label=beta]']);
    expect(graph.recipe).toMatchObject({
      name: 't',
      dir: fixtureDir.replace(/\/$/, ''),
      inputs: { table: 'data/*.csv' },
    });
  });

  it('keeps the type of a single-expression value and fills defaults', async () => {
    const graph = await load(VALID);
    const alpha = graph.instances.get('make[label=alpha]') as StepInstance;
    expect(alpha.with).toEqual({ n: 40, label: 'alpha' });
    expect(alpha.matrix).toEqual({ label: 'alpha' });
    const last = graph.instances.get('last') as StepInstance;
    expect(last.with).toEqual({ n: 40, label: 'item' });
    expect(last.timeoutMs).toBe(5_400_000);
    expect(last.resources).toEqual({ cpu: 2, gpu: 0, memoryMb: 0 });
    expect(last.dependsOn).toEqual(['combine']);
    expect(last.codeIdentity).toMatch(/^plugin:sha256:[0-9a-f]{64}$/);
    expect(last.pluginModule).toBe(`${fixtureDir}steps.mjs`);
  });

  it('turns a reference to a matrix step into a list reference and interpolates the rest', async () => {
    const combine = (await load(VALID)).instances.get('combine') as StepInstance;
    const ref = {
      $ref: 'output',
      step: 'make',
      output: 'data',
      instances: ['make[label=alpha]', 'make[label=beta]'],
      list: true,
    };
    expect(combine.with).toEqual({
      items: ref,
      title: { $ref: 'interpolate', parts: ['report of 40 from ', { $ref: 'input', name: 'table' }] },
    });
    expect(combine.dependsOn).toEqual(['make[label=alpha]', 'make[label=beta]']);
    expect(combine.location).toMatchObject({ line: 15, column: 3, pointer: '/steps/combine' });
  });

  it('applies --set values read as YAML scalars', async () => {
    const graph = await load(VALID, ['base=7', 'title=final run']);
    expect(graph.recipe.params).toMatchObject({ base: 7, title: 'final run' });
    expect((graph.instances.get('last') as StepInstance).with).toMatchObject({ n: 7 });
  });
});

describe('loadRecipe on invalid recipes', () => {
  it('reports every problem at once with location, source line and fix', async () => {
    const text = `${HEADER}params:
  seed: 7
steps:
  make:
    uses: mkae
    with: { n: 3 }
  m2:
    uses: make
    with: { nn: 3, label: "\${{ params.sed }}" }
    timeout: 3x
  comb:
    uses: combine
    with:
      items: \${{ steps.comb2.outputs.reslt }}
  comb2:
    uses: combine
    with:
      items: ["\${{ steps.comb.outputs.result }}", "\${{ steps.nowhere.outputs.x }}"]
  x:
    uses: combine
    nedds: [comb]
`;
    expect(await problemsOf(text)).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 10 problems (nothing ran)

      test-recipe.yaml:8:11: unknown step \`mkae\` in steps.make.uses [UNKNOWN_STEP]
        fix: did you mean \`make\`? (\`asterism steps\` lists the registered steps; plugin steps need \`plugins:\`)

      test-recipe.yaml:12:11: missing required param \`n\` for step \`m2\` (uses: make) [MISSING_PARAM]
        fix: add \`n:\` under \`with:\` (see \`asterism steps make\`)

      test-recipe.yaml:12:13: unknown param \`nn\` for step \`m2\` (uses: make) [UNKNOWN_PARAM]
        fix: did you mean \`n\`? (see \`asterism steps make\`)

      test-recipe.yaml:12:27: unknown recipe param \`sed\` in \`\${{ params.sed }}\` [UNKNOWN_PARAM]
        fix: did you mean \`seed\`?

      test-recipe.yaml:13:14: \`steps.m2.timeout\` must be a duration such as \`90s\`, \`30m\` or \`1h30m\` (or a number of seconds), got "3x" [INVALID_VALUE]
        fix: Time limit: \`90s\`, \`30m\`, \`1h30m\`, or seconds.

      test-recipe.yaml:14:3: cycle: comb -> comb2 -> comb (each step needs the next) [CYCLE]
        fix: remove one of these \`\${{ steps... }}\` references or \`needs:\` entries

      test-recipe.yaml:17:14: step \`comb2\` (uses: combine) has no output \`reslt\` in \`\${{ steps.comb2.outputs.reslt }}\` [DANGLING_REF]
        fix: did you mean \`result\`? (its outputs: result)

      test-recipe.yaml:21:51: reference to unknown step \`nowhere\` in \`\${{ steps.nowhere.outputs.x }}\` [DANGLING_REF]
        fix: name a step id under \`steps:\`

      test-recipe.yaml:22:3: missing required param \`items\` for step \`x\` (uses: combine) [MISSING_PARAM]
        fix: add \`items:\` under \`with:\` (see \`asterism steps combine\`)

      test-recipe.yaml:24:5: unknown key \`nedds\` in \`steps.x\` [UNKNOWN_KEY]
        fix: did you mean \`needs\`? (allowed: uses, with, needs, matrix, resources, timeout, retries, isolate)
      "
    `);
  });

  it('recognises an unquoted expression in a flow mapping and says to quote it', async () => {
    const text = `${HEADER}steps:
  make:
    uses: make
    matrix: { n: [1, 2] }
    with: { n: \${{ matrix.n }} }
`;
    expect(await problemsOf(text)).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 1 problem (nothing ran)

      test-recipe.yaml:8:16: unquoted expression \`\${{ matrix.n }}\` inside a flow mapping or list ({ ... } or [ ... ]) [UNQUOTED_EXPRESSION]
        fix: quote it: "\${{ matrix.n }}" (inside { } or [ ], YAML reads \`{\` as the start of a mapping)
      "
    `);
  });

  it('reports duplicate step ids', async () => {
    const text = `${HEADER}steps:
  a:
    uses: make
    with: { n: 1 }
  a:
    uses: make
    with: { n: 2 }
`;
    expect(await problemsOf(text)).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 1 problem (nothing ran)

      test-recipe.yaml:8:3: duplicate key \`a\` (keys and step ids must be unique within a mapping) [DUPLICATE_KEY]
        fix: rename or remove one of the two entries
      "
    `);
  });

  it('prints a cycle as a path', async () => {
    const text = `${HEADER}steps:
  a:
    uses: combine
    with: { items: ["\${{ steps.c.outputs.result }}"] }
  b:
    uses: combine
    with: { items: ["\${{ steps.a.outputs.result }}"] }
  c:
    uses: combine
    with: { items: ["\${{ steps.b.outputs.result }}"] }
  self:
    uses: make
    needs: [self]
    with: { n: 1 }
`;
    expect(await problemsOf(text)).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 2 problems (nothing ran)

      test-recipe.yaml:5:3: cycle: a -> c -> b -> a (each step needs the next) [CYCLE]
        fix: remove one of these \`\${{ steps... }}\` references or \`needs:\` entries

      test-recipe.yaml:14:3: cycle: self -> self (each step needs the next) [CYCLE]
        fix: remove one of these \`\${{ steps... }}\` references or \`needs:\` entries
      "
    `);
  });

  it('rejects an unknown --set name and a wrong param type', async () => {
    expect(
      await problemsOf(
        `${HEADER}params: { base: 1 }\nsteps:\n  m:\n    uses: make\n    with: { n: "\${{ params.base }}" }\n`,
        ['bsae=2', 'oops'],
      ),
    ).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 2 problems (nothing ran)

      test-recipe.yaml: --set bsae=2: the recipe has no param \`bsae\` [UNKNOWN_PARAM]
        fix: did you mean \`base\`?

      test-recipe.yaml: --set oops: expected NAME=VALUE [BAD_SET]
        fix: for example \`--set epochs=50\`
      "
    `);
    expect(
      await codesOf(
        `${HEADER}params: { base: -1 }\nsteps:\n  m:\n    uses: make\n    with: { n: "\${{ params.base }}" }\n`,
      ),
    ).toEqual(['INVALID_PARAM']);
  });

  it('reports shape problems: missing keys, bad version, unknown top-level key, bad ids', async () => {
    const text = `recipe: t\nversion: 2\nstep: {}\nsteps:\n  "bad id":\n    uses: make\n  ok:\n    with: {}\n`;
    expect(await codesOf(text)).toEqual(['BAD_VERSION', 'UNKNOWN_KEY', 'BAD_NAME', 'MISSING_KEY']);
  });

  it('reports a plugin that does not exist at its place in the recipe', async () => {
    expect(
      await problemsOf('recipe: t\nversion: 1\nplugins: [nope.mjs]\nsteps:\n  a:\n    uses: make\n'),
    ).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 2 problems (nothing ran)

      test-recipe.yaml:3:11: plugin file not found: nope.mjs [PLUGIN_NOT_FOUND]
        fix: plugin paths are relative to the recipe file

      test-recipe.yaml:6:11: unknown step \`make\` in steps.a.uses [UNKNOWN_STEP]
        fix: (\`asterism steps\` lists the registered steps; plugin steps need \`plugins:\`)
      "
    `);
  });

  it('rejects a plugin step whose name is already registered', async () => {
    const text =
      'recipe: t\nversion: 1\nplugins: [steps.mjs, ./steps.mjs]\nsteps:\n  a:\n    uses: make\n    with: { n: 1 }\n';
    expect(await problemsOf(text)).toMatch(
      /^test-recipe.yaml:3:22: step name `make` from the plugin .*steps.mjs clashes with the plugin .*steps.mjs \[STEP_NAME_CLASH\]$/m,
    );
  });

  it('rejects matrix problems and unknown matrix keys', async () => {
    const text = `${HEADER}params: { n: 3 }\nsteps:\n  a:\n    uses: make\n    matrix: { k: "\${{ params.n }}" }\n    with: { n: 1 }\n  b:\n    uses: make\n    matrix: { k: [1, 2] }\n    with: { n: "\${{ matrix.kk }}" }\n`;
    expect(await codesOf(text)).toEqual(['BAD_MATRIX', 'UNKNOWN_MATRIX_KEY']);
  });
});
