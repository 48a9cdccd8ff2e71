import { describe, expect, it } from 'vitest';
import { renderDag } from '../../../../engine/graph/render.js';
import { HEADER, load } from '../recipe/helpers.js';

const TEXT = `${HEADER}steps:
  make:
    uses: make
    matrix: { n: [1, 2] }
    with: { n: "\${{ matrix.n }}" }
  combine:
    uses: combine
    with: { items: "\${{ steps.make.outputs.data }}" }
`;

describe('renderDag', () => {
  it('draws Mermaid, dot and text with one node per instance', async () => {
    const graph = await load(TEXT);
    expect(renderDag(graph, 'mermaid')).toMatchInlineSnapshot(`
      "flowchart TD
        n0["make[n=1]<br/><i>make</i>"]
        n1["make[n=2]<br/><i>make</i>"]
        n2["combine<br/><i>combine</i>"]
        n0 --> n2
        n1 --> n2
      "
    `);
    expect(renderDag(graph, 'dot')).toMatchInlineSnapshot(`
      "digraph "t" {
        rankdir=TB;
        node [shape=box, fontname="Helvetica"];
        "make[n=1]" [label="make[n=1]\\n(make)"];
        "make[n=2]" [label="make[n=2]\\n(make)"];
        "combine" [label="combine\\n(combine)"];
        "make[n=1]" -> "combine";
        "make[n=2]" -> "combine";
      }
      "
    `);
    expect(renderDag(graph, 'text')).toMatchInlineSnapshot(`
      "t: 3 steps, in run order
        make[n=1] (make)
        make[n=2] (make)
        combine (combine)  <- make[n=1], make[n=2]
      "
    `);
  });
});
