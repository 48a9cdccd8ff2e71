/**
 * What watch mode watches: the recipe, its plugins and every declared input, with globs matched
 * by us (chokidar 4+ has none): a glob is watched through its static base folder and events
 * are filtered by the pattern.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { RecipeGraph } from '../graph/types.js';
import { isGlob, segmentRegExp } from '../run/glob.js';

export interface WatchTarget {
  /** Path handed to chokidar. */
  readonly path: string;
  /** `recipe`, `plugin`, or the input name. */
  readonly kind: 'recipe' | 'plugin' | 'input';
  readonly inputName?: string;
  /** For a glob input: does this absolute path match? */
  readonly matches?: (absolute: string) => boolean;
}

export function watchTargets(graph: RecipeGraph): WatchTarget[] {
  const targets: WatchTarget[] = [{ path: graph.recipe.file, kind: 'recipe' }];
  for (const plugin of graph.recipe.plugins) targets.push({ path: plugin, kind: 'plugin' });
  for (const [name, written] of Object.entries(graph.recipe.inputs)) {
    const absolute = resolve(graph.recipe.dir, written);
    if (!isGlob(written)) {
      targets.push({ path: absolute, kind: 'input', inputName: name });
      continue;
    }
    const segments = (isAbsolute(written) ? written.slice(1) : written).split('/');
    const firstGlob = segments.findIndex((segment) => isGlob(segment));
    const base = isAbsolute(written)
      ? join('/', ...segments.slice(0, firstGlob))
      : join(graph.recipe.dir, ...segments.slice(0, firstGlob));
    const rest = segments.slice(firstGlob);
    targets.push({
      path: base,
      kind: 'input',
      inputName: name,
      matches: (file) => matchSegments(relative(base, file).split(sep), rest),
    });
  }
  return targets;
}

/** Match path segments against glob segments (`**` spans any number of folders). */
function matchSegments(parts: readonly string[], pattern: readonly string[]): boolean {
  if (pattern.length === 0) return parts.length === 0;
  const [head, ...tail] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= parts.length; skip++) if (matchSegments(parts.slice(skip), tail)) return true;
    return false;
  }
  if (parts.length === 0) return false;
  return segmentRegExp(head!).test(parts[0]!) && matchSegments(parts.slice(1), tail);
}

/** Which target an event on `file` concerns, if any. */
export function classify(targets: readonly WatchTarget[], file: string): WatchTarget | undefined {
  for (const target of targets) {
    if (target.matches !== undefined) {
      if (file.startsWith(target.path + sep) && target.matches(file)) return target;
    } else if (file === target.path || file.startsWith(target.path + sep)) return target;
  }
  return undefined;
}
