/**
 * The long-list fast path must give exactly the data the yaml package gives, and never be used
 * where it could differ. The yaml package is the reference: every case compares against it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { maskLongLists } from '../../../../engine/recipe/long-lists.js';
import { RecipeError } from '../../../../engine/recipe/types.js';
import { parseYamlSource } from '../../../../engine/recipe/yaml-source.js';
import { HEADER, load } from './helpers.js';

function dataOf(text: string): { data: unknown; fast: boolean } {
  const source = parseYamlSource('r.yaml', text);
  if ('problems' in source) throw new Error(source.problems[0]?.message);
  return { data: source.data, fast: source.positions === 'lists' };
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => i + from);

// Items the fast path accepts, and look-alikes it must leave to the yaml package.
const accepted = fc.oneof(
  fc.integer({ min: -1e12, max: 1e12 }).map(String),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/),
);
const lookAlikes = fc.constantFrom(
  'null',
  'Null',
  'NULL',
  '~',
  'true',
  'True',
  'FALSE',
  '007',
  '-0',
  '+5',
  '0x1F',
  '0o17',
  '1.5',
  '.inf',
  '-.inf',
  '.nan',
  '1e3',
  '12345678901234567890',
  '"quoted"',
  "'single'",
  'a b',
  '',
);

describe('long one-line lists', () => {
  it('parse to the same data as the yaml package, whatever the items', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 20, arbitrary: accepted }, { weight: 1, arbitrary: lookAlikes }), {
          minLength: 256,
          maxLength: 400,
        }),
        fc.constantFrom(', ', ',', ' , '),
        fc.constantFrom('block', 'flow-map', 'seq-item'),
        (items, separator, context) => {
          const list = `[${items.join(separator)}]`;
          const text =
            context === 'block'
              ? `a:\n  i: ${list}\n  b: 1\n`
              : context === 'flow-map'
                ? `a: { i: ${list}, b: 1 }\n`
                : `a:\n  - k: ${list}\n`;
          let expected: unknown;
          try {
            expected = parse(text);
          } catch {
            return; // not YAML (an empty item, say): nothing to compare
          }
          expect(dataOf(text).data).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is used for a generated matrix axis, and keeps every other position', () => {
    const text = `x: 1\nm: { i: [${range(1000).join(', ')}] }\ny: [${range(300).join(',')}]\nz: 2\n`;
    const { data, fast } = dataOf(text);
    expect(fast).toBe(true);
    expect(data).toEqual(parse(text));
    const masked = maskLongLists(text)!;
    expect(masked.text.length).toBe(text.length);
    expect(masked.text.split('\n').map((line) => line.length)).toEqual(text.split('\n').map((l) => l.length));
  });

  it('falls back to the yaml package inside quotes, comments, block scalars and anchors', () => {
    const list = `[${range(300).join(', ')}]`;
    for (const text of [
      `a: "x: ${list}"\n`,
      `# a: ${list}\nb: 1\n`,
      `run: |\n  echo\n  x: ${list}\n`,
      `a: &anchor ${list}\nb: *anchor\n`,
      `a: !!seq ${list}\n`,
      `%YAML 1.1\n---\na: ${list}\n`,
      `a: ${list} # trailing\n`,
    ]) {
      expect(dataOf(text).data, text.slice(0, 40)).toEqual(parse(text));
    }
  });

  it('locates a problem inside a long list exactly (the recipe is parsed again without the fast path)', async () => {
    const names = range(300).map((i) => `w${i}`);
    const needs = `    needs: [${names.join(', ')}]`;
    const text = `${HEADER}steps:\n  make:\n    uses: make\n    with: { n: 1 }\n${needs}\n`;
    expect(maskLongLists(text)).toBeDefined();
    const error = await load(text).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RecipeError);
    const problems = (error as RecipeError).problems.filter((problem) => problem.code === 'DANGLING_REF');
    expect(problems).toHaveLength(300);
    const line = text.split('\n').indexOf(needs) + 1;
    // Each unknown id is located at its own item (1-based columns), not at the list.
    expect(problems[257]!.location).toMatchObject({ line, column: needs.indexOf(' w257,') + 2 });
  });
});
