/**
 * Cache keys: a step instance's params resolved twice — with content hashes for the key, and
 * with absolute paths for the step itself.
 *
 * key = sha256(canonical JSON of { format, uses, version, code, params, seed }) where every
 * output reference in params became the content hash of that output (early cut-off: identical
 * upstream bytes give an identical key), every input reference the content hash of the input,
 * and `seed` is the `ctx.seed` the step will get. No path enters a key, so moving the project or
 * the cache invalidates nothing.
 */

import { canonicalJson, sha256Hex } from '../cache/canonical-json.js';
import { CACHE_FORMAT_VERSION, type KeyMaterial } from '../cache/types.js';
import { AsterismError } from '../errors.js';
import { collectRefs, resolveTemplate } from '../graph/template.js';
import type { JsonValue, OutputRef, StepInstance, Template } from '../graph/types.js';
import { isPlainJson } from '../graph/validate-with.js';
import type { InputResolver, ResolvedInput } from './inputs.js';
import { deriveSeed } from './seed.js';

/** What a finished upstream instance provides: output name -> absolute path and hash. */
export type UpstreamOutputs = ReadonlyMap<string, Readonly<Record<string, { path: string; hash: string }>>>;

export interface ResolvedInstance {
  readonly key: string;
  readonly material: KeyMaterial;
  /** Params for `ctx.params` (references -> absolute paths), before re-validation. */
  readonly params: JsonValue;
}

/**
 * Resolve `instance`'s params and key. `upstream` must hold every instance it references;
 * input references are hashed through `inputs` (throws `INPUT_MISSING`). Synchronous (no
 * promise) when the step reads no recipe input: a 10,000-step plan then awaits nothing per step.
 */
export function resolveInstance(
  instance: StepInstance,
  upstream: UpstreamOutputs,
  inputs: InputResolver,
  recipeName: string,
): ResolvedInstance | Promise<ResolvedInstance> {
  const template = instance.with as Template;
  // No reference at all (a matrix instance's params, say): the params are the key's params (the
  // template is plain JSON, never mutated: the scheduler validates a copy). Checked first, so
  // such a step allocates no reference list on the way to its key.
  if (isPlainJson(template)) return keyOf(instance, template as JsonValue, template as JsonValue, recipeName);
  const names = new Set<string>();
  for (const ref of collectRefs(template)) if (ref.$ref === 'input') names.add(ref.name);
  if (names.size === 0) return resolveWith(instance, upstream, NO_INPUTS, recipeName);
  return resolveInputs(names, inputs).then((values) => resolveWith(instance, upstream, values, recipeName));
}

const NO_INPUTS: ReadonlyMap<string, ResolvedInput> = new Map();

async function resolveInputs(
  names: ReadonlySet<string>,
  inputs: InputResolver,
): Promise<Map<string, ResolvedInput>> {
  const values = new Map<string, ResolvedInput>();
  for (const name of names) values.set(name, await inputs.get(name));
  return values;
}

function resolveWith(
  instance: StepInstance,
  upstream: UpstreamOutputs,
  inputValues: ReadonlyMap<string, ResolvedInput>,
  recipeName: string,
): ResolvedInstance {
  const template = instance.with as Template;
  const outputOf = (ref: OutputRef, id: string): { path: string; hash: string } => {
    const output = upstream.get(id)?.[ref.output];
    if (output === undefined) {
      throw new AsterismError(
        'OUTPUT_MISSING',
        `step \`${instance.id}\` needs output \`${ref.output}\` of \`${id}\`, which did not produce it`,
        { location: instance.location, hint: `check the outputs \`${id}\` returns` },
      );
    }
    return output;
  };
  const hashed = resolveTemplate(template, {
    output: (ref, id) => ({ $hash: outputOf(ref, id).hash }),
    input: (ref) => ({ $hash: inputValues.get(ref.name)!.hash }),
  });
  const params = resolveTemplate(template, {
    output: (ref, id) => outputOf(ref, id).path,
    input: (ref) => inputValues.get(ref.name)!.value as JsonValue,
  });
  return keyOf(instance, hashed, params, recipeName);
}

function keyOf(
  instance: StepInstance,
  hashed: JsonValue,
  params: JsonValue,
  recipeName: string,
): ResolvedInstance {
  const material: KeyMaterial = {
    format: CACHE_FORMAT_VERSION,
    uses: instance.definition.name,
    version: instance.definition.version,
    code: instance.codeIdentity,
    params: hashed,
    seed: deriveSeed(recipeName, instance.id, params as Readonly<Record<string, unknown>>),
  };
  return { key: sha256Hex(materialJson(material, instance.definition)), material, params };
}

/** The text of a material before and after its params and seed, and what it was made from. */
interface Affixes {
  readonly uses: string;
  readonly version: string;
  readonly code: string;
  readonly format: number;
  readonly before: string;
  readonly after: string;
}

/** Per step definition: the same for every instance of a step (10,000 of a matrix step). */
const affixCache = new WeakMap<object, Affixes>();

/**
 * `canonicalJson(material)`, written out with the keys in their sorted order (code, format,
 * params, seed, uses, version) so that only the params are walked and sorted per instance. The
 * text around the params and seed is kept per `owner` (the step definition) while its uses,
 * version, code and format stay the same. The unit tests pin the equality: the bytes of every
 * cache key depend on it.
 */
export function materialJson(material: KeyMaterial, owner?: object): string {
  let affixes = owner === undefined ? undefined : affixCache.get(owner);
  if (
    affixes === undefined ||
    affixes.uses !== material.uses ||
    affixes.version !== material.version ||
    affixes.code !== material.code ||
    affixes.format !== material.format
  ) {
    affixes = {
      uses: material.uses,
      version: material.version,
      code: material.code,
      format: material.format,
      before: `{"code":${JSON.stringify(material.code)},"format":${canonicalJson(material.format)},"params":`,
      after: `,"uses":${JSON.stringify(material.uses)},"version":${JSON.stringify(material.version)}}`,
    };
    if (owner !== undefined) affixCache.set(owner, affixes);
  }
  return `${affixes.before}${canonicalJson(material.params)},"seed":${canonicalJson(material.seed)}${affixes.after}`;
}

/**
 * Why two key materials differ, in words: `step version changed: 1 -> 2`,
 * `param epochs changed: 10 -> 50`, `input with.images changed (content)`.
 */
export function diffMaterial(before: KeyMaterial, after: KeyMaterial): string[] {
  const reasons: string[] = [];
  if (before.format !== after.format)
    reasons.push(`cache format changed: ${before.format} -> ${after.format}`);
  if (before.uses !== after.uses) reasons.push(`step changed: ${before.uses} -> ${after.uses}`);
  if (before.version !== after.version)
    reasons.push(`step version changed: ${before.version} -> ${after.version}`);
  if (before.code !== after.code) reasons.push('step code changed');
  diffValue('', before.params, after.params, reasons);
  // A seed param shows up as a param change already; a derived one moves with the recipe name.
  if (before.seed !== after.seed && reasons.length === 0)
    reasons.push(`seed changed: ${before.seed} -> ${after.seed} (the recipe was renamed)`);
  return reasons;
}

function isHashNode(value: unknown): value is { $hash: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { $hash?: unknown }).$hash === 'string'
  );
}

function diffValue(path: string, before: unknown, after: unknown, out: string[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  const name = path === '' ? 'params' : path;
  if (isHashNode(before) || isHashNode(after)) {
    out.push(`input ${name} changed (content)`);
    return;
  }
  const bothObjects =
    typeof before === 'object' &&
    before !== null &&
    typeof after === 'object' &&
    after !== null &&
    !Array.isArray(before) &&
    !Array.isArray(after);
  if (bothObjects) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      diffValue(
        path === '' ? key : `${path}.${key}`,
        (before as Record<string, unknown>)[key],
        (after as Record<string, unknown>)[key],
        out,
      );
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && (before.some(isHashNode) || after.some(isHashNode))) {
    out.push(`input ${name} changed (content or count)`);
    return;
  }
  out.push(`param ${name} changed: ${short(before)} -> ${short(after)}`);
}

function short(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
