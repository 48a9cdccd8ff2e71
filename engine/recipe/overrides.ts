/** `--set NAME=VALUE` overrides of recipe params; values are read as YAML (`3` is a number, `a` a string). */

import type { JsonValue } from '../graph/types.js';
import { yamlLib } from '../yaml-lib.js';
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
    const [head = '', ...fields] = name.split('.');
    if (!Object.hasOwn(params, head)) {
      const hint = didYouMean(head, Object.keys(params));
      const declared = Object.keys(params);
      problems.addUnlocated(
        'UNKNOWN_PARAM',
        `--set ${pair}: the recipe has no param \`${head}\``,
        hint ||
          (declared.length === 0 ? 'the recipe declares no `params:`' : `its params: ${declared.join(', ')}`),
      );
      continue;
    }
    const value = parseValue(text);
    if (fields.length === 0) {
      result[head] = value;
      continue;
    }
    const problem = setField(result, head, fields, value);
    if (problem !== undefined)
      problems.addUnlocated('UNKNOWN_PARAM', `--set ${pair}: ${problem.message}`, problem.hint);
  }
  return result;
}

/**
 * `--set profiles.full.epochs=30`: replace one existing field inside a mapping param, copying
 * each mapping on the way so the recipe's own params are never changed. Only existing fields may
 * be set, so a misspelt one is an error rather than a silently ignored new key.
 */
function setField(
  result: Record<string, JsonValue>,
  head: string,
  fields: readonly string[],
  value: JsonValue,
): { readonly message: string; readonly hint: string } | undefined {
  let parent: Record<string, JsonValue> = result;
  let key = head;
  let walked = head;
  for (const field of fields) {
    const current = parent[key];
    if (typeof current !== 'object' || current === null || Array.isArray(current)) {
      return {
        message: `\`${walked}\` is ${JSON.stringify(current)}, not a mapping, so it has no field \`${field}\``,
        hint: `set the whole param instead: \`--set ${walked}=VALUE\``,
      };
    }
    if (!Object.hasOwn(current, field)) {
      const keys = Object.keys(current);
      return {
        message: `\`${walked}\` has no field \`${field}\``,
        hint: didYouMean(field, keys) || `its fields: ${keys.join(', ') || '(none)'}`,
      };
    }
    const copy: Record<string, JsonValue> = { ...(current as Record<string, JsonValue>) };
    parent[key] = copy;
    parent = copy;
    key = field;
    walked = `${walked}.${field}`;
  }
  parent[key] = value;
  return undefined;
}

function parseValue(text: string): JsonValue {
  try {
    const value = yamlLib().parse(text) as unknown;
    return value === undefined ? null : (value as JsonValue);
  } catch {
    // Not valid YAML on its own (e.g. `a: b: c`): the user meant the literal text.
    return text;
  }
}
