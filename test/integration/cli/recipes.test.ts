import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asterism, collect, fixtureCopy, normalise, start } from './asterism.js';

let root: string;

beforeAll(async () => {
  root = await fixtureCopy();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface PlanJson {
  readonly steps: readonly {
    readonly id: string;
    readonly action: string;
    readonly reasons: readonly string[];
  }[];
}

async function plan(cwd: string, ...extra: string[]): Promise<Record<string, string>> {
  const result = await asterism(['plan', 'recipe.yaml', '--json', ...extra], cwd);
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as PlanJson;
  return Object.fromEntries(report.steps.map((step) => [step.id, step.action]));
}

describe('asterism on the basic recipe (plugin steps, matrix, shell)', () => {
  it('runs every step, then finds everything cached, and shows the outputs', async () => {
    const cwd = join(root, 'basic');
    const first = await asterism(['run', 'recipe.yaml', '--log-format', 'plain'], cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(await plan(cwd)).toEqual({
      'make[label=alpha]': 'cached',
      'make[label=beta]': 'cached',
      combine: 'cached',
      archive: 'cached',
    });
    const show = await asterism(['show', 'recipe.yaml', 'archive', '--json'], cwd);
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as { step: string; status: string; outputs: { archived: string } };
    expect(shown).toMatchObject({ step: 'archive', status: 'cached' });
    expect(await readFile(shown.outputs.archived, 'utf8')).toBe('# report of 40\nalpha:40\nbeta:40\n');
  });

  it('verifies the run against its lock file and lists the pinned cache entries', async () => {
    const cwd = join(root, 'basic');
    const verify = await asterism(['verify', 'recipe.yaml'], cwd);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^reproduced: every deterministic output matches .*basic\.lock\.yaml$/m);
    const ls = await asterism(['cache', 'ls', '--json'], cwd);
    const entries = JSON.parse(ls.stdout) as { id: string; pinnedBy: string[] }[];
    expect(
      entries
        .filter((entry) => entry.pinnedBy.length > 0)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(['archive', 'combine', 'make[label=alpha]', 'make[label=beta]']);
  });

  it('plans a rerun of what a --set touches, and of steps whose plugin code changed', async () => {
    const cwd = join(root, 'basic');
    expect(await plan(cwd, '--set', 'title=summary')).toMatchObject({
      'make[label=alpha]': 'cached',
      combine: 'run',
    });
    // steps.mjs imports format.mjs: editing the imported file changes the plugin's code identity.
    const format = join(cwd, 'format.mjs');
    await writeFile(format, `${await readFile(format, 'utf8')}// edited\n`);
    expect(await plan(cwd)).toMatchObject({ 'make[label=alpha]': 'run', 'make[label=beta]': 'run' });
  });

  it('draws the graph as Mermaid', async () => {
    const result = await asterism(['dag', 'recipe.yaml', '--format', 'mermaid'], join(root, 'basic'));
    expect(result.stdout).toMatchInlineSnapshot(`
      "flowchart TD
        n0["make[label=alpha]<br/><i>make</i>"]
        n1["make[label=beta]<br/><i>make</i>"]
        n2["combine<br/><i>combine</i>"]
        n3["archive<br/><i>shell</i>"]
        n0 --> n2
        n1 --> n2
        n2 --> n3
      "
    `);
  });
});

describe('asterism on invalid recipes', () => {
  it('reports every problem with file:line:col, the source line and a fix, and exits 2', async () => {
    const cwd = join(root, 'invalid');
    const result = await asterism(['run', 'recipe.yaml'], cwd);
    expect(result.code).toBe(2);
    expect(normalise(result.stderr, root)).toMatchInlineSnapshot(`
      "error: recipe.yaml is invalid: 3 problems (nothing ran)

      recipe.yaml:8:11: unknown step \`mkae\` in steps.make.uses [UNKNOWN_STEP]
        8 |     uses: mkae
          |           ^
        fix: did you mean \`make\`? (\`asterism steps\` lists the registered steps; plugin steps need \`plugins:\`)

      recipe.yaml:14:14: unknown recipe param \`sede\` in \`\${{ params.sede }}\` [UNKNOWN_PARAM]
        14 |       title: "\${{ params.sede }}"
           |              ^
        fix: did you mean \`seed\`?

      recipe.yaml:17:19: unknown param \`colour\` for step \`extra\` (uses: make) [UNKNOWN_PARAM]
        17 |     with: { n: 1, colour: red }
           |                   ^
        fix: its params: n, label (see \`asterism steps make\`)
      "
    `);
  });

  it('says to quote an expression inside a flow mapping', async () => {
    // Written here, not kept as a fixture: the file is deliberately invalid YAML, which the linter rejects.
    await mkdir(join(root, 'flow-map'));
    const text =
      'recipe: flow-map\nversion: 1\nplugins: [../basic/steps.mjs]\nsteps:\n  make:\n    uses: make\n    matrix: { n: [1, 2] }\n    with: { n: ${{ matrix.n }} }\n';
    await writeFile(join(root, 'flow-map', 'recipe.yaml'), text);
    const result = await asterism(['validate', 'flow-map/recipe.yaml'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: flow-map/recipe.yaml is invalid: 1 problem (nothing ran)

      flow-map/recipe.yaml:8:16: unquoted expression \`\${{ matrix.n }}\` inside a flow mapping or list ({ ... } or [ ... ]) [UNQUOTED_EXPRESSION]
        8 |     with: { n: \${{ matrix.n }} }
          |                ^
        fix: quote it: "\${{ matrix.n }}" (inside { } or [ ], YAML reads \`{\` as the start of a mapping)
      "
    `);
  });
});

describe('asterism when a step fails or the run is interrupted', () => {
  it('exits 1 and blocks the dependents of a failed step', async () => {
    const cwd = join(root, 'failing');
    const result = await asterism(['run', 'recipe.yaml', '--log-format', 'json'], cwd);
    expect(result.code).toBe(1);
    const statuses = await asterism(['plan', 'recipe.yaml', '--json'], cwd);
    const report = JSON.parse(statuses.stdout) as PlanJson;
    expect(Object.fromEntries(report.steps.map((step) => [step.id, step.action]))).toEqual({
      ok: 'cached',
      broken: 'run',
      after: 'unknown',
    });
  });

  it('exits 130 on SIGINT, cancelling the running step', async () => {
    const child = start(['run', 'recipe.yaml', '--log-format', 'plain'], join(root, 'interrupt'));
    const done = collect(child);
    let seen = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('wait')) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: cancelling running steps/);
  });
});
