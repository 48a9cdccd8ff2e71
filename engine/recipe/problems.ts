/**
 * Collecting recipe problems: every check adds to one list so that all problems are reported
 * at once, each located at file:line:col through the YAML AST.
 */
import type { Node } from 'yaml';
import type { Problem } from './types.js';
import { keyNodeAt, locationOf, nodeAt, toPointer, type YamlSource } from './yaml-source.js';

/** AST nodes of one entry under `steps:`. */
export interface StepNodes {
  readonly key: Node | undefined;
  readonly value: Node | undefined;
}

export class ProblemList {
  readonly items: Problem[] = [];
  readonly #source: YamlSource;
  readonly #stepNodes: ReadonlyMap<string, StepNodes>;

  constructor(source: YamlSource, stepNodes: ReadonlyMap<string, StepNodes>) {
    this.#source = source;
    this.#stepNodes = stepNodes;
  }

  /**
   * Add a problem at `path` (keys and indices from the document root). With `onKey`, point at
   * the key rather than its value (an unknown key, a duplicate).
   */
  add(path: readonly (string | number)[], code: string, message: string, hint?: string, onKey = false): void {
    const node = this.nodeFor(path, onKey);
    this.items.push({
      code,
      message,
      location: locationOf(this.#source, node, toPointer(path)),
      ...(hint === undefined || hint === '' ? {} : { hint }),
    });
  }

  /** Add a problem that has no place in the file (a `--set` on the command line). */
  addUnlocated(code: string, message: string, hint?: string): void {
    this.items.push({
      code,
      message,
      location: { file: this.#source.file },
      ...(hint === undefined || hint === '' ? {} : { hint }),
    });
  }

  get size(): number {
    return this.items.length;
  }

  private nodeFor(path: readonly (string | number)[], onKey: boolean): Node | undefined {
    let base: Node | undefined = this.#source.root;
    let rest = path;
    if (path[0] === 'steps' && path.length >= 2) {
      const step = this.#stepNodes.get(String(path[1]));
      if (step !== undefined) {
        if (path.length === 2) return onKey ? step.key : step.value;
        base = step.value;
        rest = path.slice(2);
      }
    }
    if (onKey && rest.length > 0) {
      const parent = nodeAt(base, rest.slice(0, -1));
      return keyNodeAt(parent, String(rest.at(-1))) ?? parent;
    }
    return nodeAt(base, rest);
  }
}
