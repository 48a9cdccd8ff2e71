/** `--set NAME=VALUE` overrides of recipe params; values are read as YAML (`3` is a number, `a` a string). */
import { parse } from 'yaml';
import type { JsonValue } from '../graph/types.js';
import { didYouMean } from './did-you-mean.js';
import type { ProblemList } from './problems.js';

/** Apply `sets` to `params`; unknown names and malformed pairs become problems. */
export function applyOverrides(
  params: Readonly<Record<string, JsonValue>>,
  sets: readonly string[],
  problems: ProblemList,
): Record<string, JsonValue> {
  const result: Record<string, JsonValue> = { ...params };
  for (const pair of sets) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      problems.addUnlocated('BAD_SET', `--set ${pair}: expected NAME=VALUE`, 'for example `--set epochs=50`');
      continue;
    }
    const name = pair.slice(0, equals).trim();
    const text = pair.slice(equals + 1);
    if (!Object.hasOwn(params, name)) {
      const hint = didYouMean(name, Object.keys(params));
      const declared = Object.keys(params);
      problems.addUnlocated(
        'UNKNOWN_PARAM',
        `--set ${pair}: the recipe has no param \`${name}\``,
        hint ||
          (declared.length === 0 ? 'the recipe declares no `params:`' : `its params: ${declared.join(', ')}`),
      );
      continue;
    }
    result[name] = parseValue(text);
  }
  return result;
}

function parseValue(text: string): JsonValue {
  try {
    const value = parse(text) as unknown;
    return value === undefined ? null : (value as JsonValue);
  } catch {
    // Not valid YAML on its own (e.g. `a: b: c`): the user meant the literal text.
    return text;
  }
}
