/**
 * Property tests: whatever text a user saves, loading never throws anything but a located
 * `RecipeError` (or returns a graph). Mutations start from a valid recipe so they reach the
 * semantic checks, not only the YAML parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecipeError } from '../../../../engine/recipe/types.js';
import { HEADER, load } from './helpers.js';

const VALID = `${HEADER}params:
  base: 40
  labels: [alpha, beta]
steps:
  make:
    uses: make
    matrix: { label: "\${{ params.labels }}" }
    with: { n: "\${{ params.base }}", label: "\${{ matrix.label }}" }
  combine:
    uses: combine
    needs: [make]
    with:
      items: \${{ steps.make.outputs.data }}
      title: "t \${{ params.base }}"
`;

/** Load `text`; fail the property if anything other than a well-formed RecipeError escapes. */
async function loadsOrReports(text: string): Promise<void> {
  try {
    const graph = await load(text);
    expect(graph.order.length).toBe(graph.instances.size);
  } catch (error) {
    if (!(error instanceof RecipeError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.location.file).toMatch(/test-recipe\.yaml$/);
      expect(problem.message.length).toBeGreaterThan(0);
    }
  }
}

const fragments = [
  '${{',
  '}}',
  '${{ steps.make.outputs.data }}',
  '${{ params.nope }}',
  '${{ matrix.label }}',
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '"',
  "'",
  '\n',
  '  ',
  'uses: combine',
  'needs: [combine]',
  '&a ',
  '*a',
  '!!binary ',
  '#',
  'null',
  '$ref: x',
];

describe('loading arbitrary and mutated recipes', () => {
  it('never throws on arbitrary text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), loadsOrReports), { numRuns: 150 });
  });

  it('never throws on mutations of a valid recipe', async () => {
    const mutation = fc.record({
      at: fc.nat({ max: VALID.length }),
      cut: fc.nat({ max: 12 }),
      insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let text = VALID;
        for (const { at, cut, insert } of mutations) {
          const position = Math.min(at, text.length);
          text = text.slice(0, position) + insert + text.slice(position + cut);
        }
        await loadsOrReports(text);
      }),
      { numRuns: 300 },
    );
  });
});
