/**
 * Topological order and cycle detection over step ids, in one iterative depth-first pass
 * (O(steps + edges), no recursion, so a 100,000-step chain cannot overflow the stack).
 */

/** The result: an order (dependencies first, otherwise recipe order), and any cycles found. */
export interface OrderResult {
  readonly order: string[];
  /** Each cycle as a path that returns to its start: `['a', 'b', 'a']`. */
  readonly cycles: string[][];
}

const WHITE = 0;
const GREY = 1;
const BLACK = 2;

/**
 * Order `ids` (in recipe order) so each comes after everything in `deps(id)`. Dependencies are
 * visited in the order `deps` lists them, so listing them in recipe order keeps ties in recipe order.
 * Unknown dependency ids are ignored (they are reported elsewhere as dangling references).
 */
export function topologicalOrder(
  ids: readonly string[],
  deps: (id: string) => readonly string[],
): OrderResult {
  const color = new Map<string, number>();
  for (const id of ids) color.set(id, WHITE);
  const order: string[] = [];
  const cycles: string[][] = [];
  const seenCycles = new Set<string>();
  for (const root of ids) {
    if (color.get(root) !== WHITE) continue;
    // Stack of [node, its dependencies, next index]; `path` mirrors the grey nodes in order.
    const stack: { id: string; next: readonly string[]; index: number }[] = [
      { id: root, next: deps(root), index: 0 },
    ];
    const path: string[] = [root];
    color.set(root, GREY);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.index < frame.next.length) {
        const dep = frame.next[frame.index++]!;
        const state = color.get(dep);
        if (state === WHITE) {
          color.set(dep, GREY);
          stack.push({ id: dep, next: deps(dep), index: 0 });
          path.push(dep);
        } else if (state === GREY) {
          // `frame.id` needs `dep`, which is on the current path: the cycle runs dep -> ... -> frame.id -> dep,
          // written in the direction data flows is the reverse; we print "needs" order: a -> b means a needs b.
          const cycle = [...path.slice(path.indexOf(dep)), dep];
          const signature = [...new Set(cycle)].sort().join('\0');
          if (!seenCycles.has(signature)) {
            seenCycles.add(signature);
            cycles.push(cycle);
          }
        }
      } else {
        color.set(frame.id, BLACK);
        order.push(frame.id);
        stack.pop();
        path.pop();
      }
    }
  }
  return { order, cycles };
}
