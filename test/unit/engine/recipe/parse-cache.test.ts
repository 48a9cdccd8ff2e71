import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../../../engine/cli/main.js';
import type { RecipeGraph } from '../../../../engine/graph/types.js';
import { loadRecipeText } from '../../../../engine/recipe/load.js';
import { parseCacheDir, parsedRecipeFile, parserFingerprint } from '../../../../engine/recipe/parse-cache.js';
import { cacheFolderPerTest, HEADER, load, problemsOf, recipePath } from './helpers.js';

const RECIPE = `${HEADER}params:
  base: 40
  ratio: .inf
steps:
  make:
    uses: make
    matrix: { label: [alpha, beta] }
    with: { n: "\${{ params.base }}", label: "\${{ matrix.label }}" }

  combine:
    uses: combine
    with:
      items: \${{ steps.make.outputs.data }}
`;

/** What a load gives that a stored parse must reproduce exactly (locations included). */
function summary(graph: RecipeGraph): unknown {
  return {
    recipe: graph.recipe,
    order: graph.order,
    instances: [...graph.instances.values()].map((instance) => ({
      id: instance.id,
      with: instance.with,
      location: instance.location,
      dependsOn: instance.dependsOn,
    })),
  };
}

const cache = cacheFolderPerTest('ASTERISM_PARSE_CACHE', 'asterism-parsed-');

describe('the parse cache', () => {
  it('stores a parse once and gives the same graph, step positions and values from it', async () => {
    expect(parseCacheDir()).toBe(cache.dir);
    const first = await load(RECIPE);
    const files = await readdir(cache.dir);
    expect(files).toHaveLength(1);
    const second = await load(RECIPE);
    expect(await readdir(cache.dir)).toEqual(files); // read, not written again
    expect(summary(second)).toEqual(summary(first));
    // `.inf` survives storing (JSON would have turned it into null).
    expect(second.recipe.params.ratio).toBe(Number.POSITIVE_INFINITY);
    expect(second.instances.get('combine')?.location).toMatchObject({ line: 13, column: 3 });
  });

  it('reports problems found from a stored parse at their exact line and column', async () => {
    await load(RECIPE);
    // Same text (so the stored parse is used), but the override makes `n` a string: the
    // problem lies inside a step, where a stored parse has no positions of its own.
    const fromStore = await problemsOf(RECIPE, ['base=many']);
    await rm(cache.dir, { recursive: true, force: true });
    process.env.ASTERISM_PARSE_CACHE = join(cache.dir, 'elsewhere');
    const fresh = await problemsOf(RECIPE, ['base=many']);
    expect(fromStore).toBe(fresh);
    expect(fromStore).toMatch(/test-recipe\.yaml:11:\d+/);
  });

  it('parses again when a stored file is damaged, or its folder cannot be written', async () => {
    const first = summary(await load(RECIPE));
    const [file] = await readdir(cache.dir);
    await writeFile(join(cache.dir, file!), 'not a v8 serialisation');
    expect(summary(await load(RECIPE))).toEqual(first);
    await writeFile(join(cache.dir, 'blocked'), 'a file, not a folder');
    process.env.ASTERISM_PARSE_CACHE = join(cache.dir, 'blocked', 'recipes');
    expect(summary(await load(RECIPE))).toEqual(first);
  });

  it('does not store a recipe with problems, and keys a parse by the whole text', async () => {
    await expect(load(`${RECIPE}  broken:\n    uses: no-such-step\n`)).rejects.toThrow();
    expect(await readdir(cache.dir)).toHaveLength(0);
    await load(RECIPE);
    const edited = await load(RECIPE.replace('base: 40', 'base: 41'));
    expect(edited.instances.get('make[label=alpha]')?.with).toMatchObject({ n: 41 });
    expect(await readdir(cache.dir)).toHaveLength(2);
  });

  it('lets a process whose recipe parse is stored run without loading the yaml package', async () => {
    const recipe = join(cache.dir, 'r.yaml');
    await writeFile(
      recipe,
      'recipe: r\nversion: 1\nsteps:\n  hello:\n    uses: shell\n    with: { run: "true" }\n',
    );
    const script = `
      const { loadRecipe } = await import(${JSON.stringify(pathToFileURL(fileURLToPath(new URL('../../../../engine/recipe/load.ts', import.meta.url))).href)});
      const { builtinRegistry } = await import(${JSON.stringify(pathToFileURL(fileURLToPath(new URL('../../../../engine/cli/main.ts', import.meta.url))).href)});
      const { createRequire } = await import('node:module');
      const registry = builtinRegistry([]);
      const graph = (await loadRecipe(${JSON.stringify(recipe)}, { registry })).graph;
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/yaml/dist/'));
      console.log(JSON.stringify({ order: graph.order, yamlLoaded: loaded }));`;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const run = (): { order: string[]; yamlLoaded: boolean } =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
          encoding: 'utf8',
          env: { ...process.env, ASTERISM_PARSE_CACHE: cache.dir },
        }),
      );
    expect(run()).toEqual({ order: ['hello'], yamlLoaded: true });
    expect(run()).toEqual({ order: ['hello'], yamlLoaded: false });
  });

  it('names the file it is given: the same text at another path is located there', async () => {
    const registry = builtinRegistry([]);
    const text = 'recipe: q\nversion: 1\nsteps:\n  a:\n    uses: shell\n    with: { run: "true" }\n';
    await loadRecipeText(join(cache.dir, 'first.yaml'), text, { registry });
    const graph = (await loadRecipeText(recipePath, text, { registry })).graph;
    expect(await readdir(cache.dir)).toHaveLength(1); // the second load came from the stored parse
    expect(graph.instances.get('a')?.location).toMatchObject({ file: recipePath, line: 4, column: 3 });
  });

  it('keeps its folder bounded: a store past 400 files removes the oldest down to 300', async () => {
    const old = new Date('2020-01-01T00:00:00Z');
    for (let i = 0; i < 400; i++) {
      const name = join(cache.dir, `${String(i).padStart(64, '0')}.v8`);
      await writeFile(name, 'x');
      await utimes(name, old, new Date(old.getTime() + i * 1000));
    }
    await load(RECIPE);
    const names = await readdir(cache.dir);
    expect(names).toHaveLength(300);
    expect(names).not.toContain(`${'0'.repeat(64)}.v8`); // the oldest went first
    expect(names).toContain(`${String(399).padStart(64, '0')}.v8`);
    expect(await load(RECIPE)).toBeDefined();
    expect(await readdir(cache.dir)).toHaveLength(300); // the new parse was kept and is read back
  });

  it("names a stored parse by the parser's own code, the yaml version and the text", async () => {
    // Between releases the package version stays put: an edit of the parser must still miss.
    const source = (name: string): Promise<Buffer> =>
      readFile(fileURLToPath(new URL(`../../../../engine/recipe/${name}`, import.meta.url)));
    const code = Buffer.concat([await source('yaml-source.ts'), await source('long-lists.ts')]);
    const parser = createHash('sha256').update(code).digest('hex');
    expect(parserFingerprint()).toBe(parser);
    const yamlVersion = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
    const expected = createHash('sha256')
      .update(`asterism-parse 1 parser ${parser} yaml ${yamlVersion}\n${RECIPE}`)
      .digest('hex');
    expect(parsedRecipeFile(cache.dir, RECIPE)).toBe(join(cache.dir, `${expected}.v8`));
    await load(RECIPE);
    expect(await readdir(cache.dir)).toEqual([`${expected}.v8`]);
  });
});
