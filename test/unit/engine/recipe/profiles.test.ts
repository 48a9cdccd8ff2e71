/** Bracket indexes in expressions: a recipe picks a named profile with `--set profile=NAME`. */
import { describe, expect, it } from 'vitest';
import type { StepInstance } from '../../../../engine/graph/types.js';
import { codesOf, HEADER, load, problemsOf } from './helpers.js';

const PROFILES = `${HEADER}params:
  profile: quick
  profiles:
    quick: { n: 8, label: small }
    paper: { n: 100, label: large }
  sizes: [16, 32]
steps:
  m:
    uses: make
    with:
      n: "\${{ params.profiles[params.profile].n }}"
      label: "\${{ params.profiles[params.profile].label }}-\${{ params.sizes[1] }}"
`;

function withOf(graph: Awaited<ReturnType<typeof load>>, id: string): unknown {
  return (graph.instances.get(id) as StepInstance).with;
}

describe('bracket indexes in expressions', () => {
  it('picks the default profile, keeping the type of a single expression', async () => {
    expect(withOf(await load(PROFILES), 'm')).toEqual({ n: 8, label: 'small-32' });
  });

  it('follows --set to another profile', async () => {
    expect(withOf(await load(PROFILES, ['profile=paper']), 'm')).toEqual({ n: 100, label: 'large-32' });
  });

  it('indexes with a quoted key and with a matrix key', async () => {
    const text = `${HEADER}params:
  profiles: { quick: { n: 8 }, paper: { n: 100 } }
steps:
  a:
    uses: make
    with: { n: "\${{ params.profiles['paper'].n }}" }
  b:
    uses: make
    matrix: { p: [quick, paper] }
    with: { n: "\${{ params.profiles[matrix.p].n }}" }
`;
    const graph = await load(text);
    expect(withOf(graph, 'a')).toEqual({ n: 100, label: 'item' });
    expect(withOf(graph, 'b[p=quick]')).toEqual({ n: 8, label: 'item' });
    expect(withOf(graph, 'b[p=paper]')).toEqual({ n: 100, label: 'item' });
  });

  it('reports an unknown profile at the expression, listing the valid keys', async () => {
    expect(await problemsOf(PROFILES, ['profile=fast'])).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 2 problems (nothing ran)

      test-recipe.yaml:14:10: profile \`fast\` is not one of: quick, paper (the keys of \`params.profiles\`) in \`\${{ params.profiles[params.profile].n }}\` [UNKNOWN_KEY]
        fix: set \`profile\` to one of them (\`--set profile=quick\`), or add \`fast\` under \`params.profiles\`

      test-recipe.yaml:15:14: profile \`fast\` is not one of: quick, paper (the keys of \`params.profiles\`) in \`\${{ params.profiles[params.profile].label }}\` [UNKNOWN_KEY]
        fix: set \`profile\` to one of them (\`--set profile=quick\`), or add \`fast\` under \`params.profiles\`
      "
    `);
  });

  it('suggests the nearest key, and reports lists, scalars and run-time indexes', async () => {
    expect(await problemsOf(PROFILES, ['profile=papr'])).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 2 problems (nothing ran)

      test-recipe.yaml:14:10: profile \`papr\` is not one of: quick, paper (the keys of \`params.profiles\`) in \`\${{ params.profiles[params.profile].n }}\` [UNKNOWN_KEY]
        fix: did you mean \`paper\`? Or set \`profile\` to one of them (\`--set profile=quick\`), or add \`papr\` under \`params.profiles\`

      test-recipe.yaml:15:14: profile \`papr\` is not one of: quick, paper (the keys of \`params.profiles\`) in \`\${{ params.profiles[params.profile].label }}\` [UNKNOWN_KEY]
        fix: did you mean \`paper\`? Or set \`profile\` to one of them (\`--set profile=quick\`), or add \`papr\` under \`params.profiles\`
      "
    `);
    const text = `${HEADER}params: { sizes: [1, 2], n: 3 }
inputs: { table: data/*.csv }
steps:
  a:
    uses: make
    with: { n: "\${{ params.sizes[2] }}" }
  b:
    uses: make
    with: { n: "\${{ params.n['x'] }}" }
  c:
    uses: make
    with: { n: "\${{ params.sizes[inputs.table] }}" }
`;
    expect(await problemsOf(text)).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 3 problems (nothing ran)

      test-recipe.yaml:9:16: index 2 is out of range: \`params.sizes\` has 2 items in \`\${{ params.sizes[2] }}\` [UNKNOWN_KEY]
        fix: use a whole number from 0 to 1

      test-recipe.yaml:12:16: \`params.n\` is 3, not a mapping or a list, so it has no key \`x\` in \`\${{ params.n['x'] }}\` [UNKNOWN_KEY]
        fix: index only a mapping (\`profiles: { quick: ..., full: ... }\`) or a list

      test-recipe.yaml:15:16: index \`inputs.table\` is only known when a step runs in \`\${{ params.sizes[inputs.table] }}\` [BAD_EXPRESSION]
        fix: index with a quoted key, a number, \`params.NAME\` or \`matrix.KEY\`, e.g. \`params.profiles[params.profile]\`
      "
    `);
  });

  it('overrides one field of a profile with a dotted --set, leaving the others', async () => {
    const graph = await load(PROFILES, ['profile=paper', 'profiles.paper.n=30']);
    expect(withOf(graph, 'm')).toEqual({ n: 30, label: 'large-32' });
    expect(graph.recipe.params).toMatchObject({
      profiles: { quick: { n: 8 }, paper: { n: 30, label: 'large' } },
    });
    expect(
      await problemsOf(PROFILES, ['profiles.paper.nn=3', 'profile.x=1', 'profiles.papr.n=1']),
    ).toMatchInlineSnapshot(`
      "error: test-recipe.yaml is invalid: 3 problems (nothing ran)

      test-recipe.yaml: --set profiles.paper.nn=3: \`profiles.paper\` has no field \`nn\` [UNKNOWN_PARAM]
        fix: did you mean \`n\`?

      test-recipe.yaml: --set profile.x=1: \`profile\` is "quick", not a mapping, so it has no field \`x\` [UNKNOWN_PARAM]
        fix: set the whole param instead: \`--set profile=VALUE\`

      test-recipe.yaml: --set profiles.papr.n=1: \`profiles\` has no field \`papr\` [UNKNOWN_PARAM]
        fix: did you mean \`paper\`?
      "
    `);
  });

  it('does not reach prototype properties through an index', async () => {
    const text = `${HEADER}params: { p: { a: 1 } }\nsteps:\n  a:\n    uses: make\n    with: { n: "\${{ params.p['constructor'] }}" }\n`;
    expect(await codesOf(text)).toEqual(['UNKNOWN_KEY']);
  });
});
