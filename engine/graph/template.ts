/**
 * Walking templates: resolve run-time references to plain JSON, or list them.
 *
 * The scheduler resolves a step's `with` twice: with absolute paths (what `ctx.params` gets) and
 * with content hashes (what enters the cache key), so a moved project folder invalidates nothing.
 */
import type { InputRef, JsonValue, OutputRef, RefNode, Template } from './types.js';

/** How reference nodes become values. */
export interface TemplateResolver {
  /**
   * The value of one output of one instance (a path, or a hash for cache keys). Called once per
   * instance in `ref.instances`; the results form a list when `ref.list`.
   */
  output(ref: OutputRef, instanceId: string): JsonValue;
  /** The value of a recipe input (a path, or a list of paths for a glob). */
  input(ref: InputRef): JsonValue;
}

/** True when `value` is a reference node rather than a plain mapping. */
export function isRefNode(value: Template): value is RefNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $ref?: unknown }).$ref === 'string'
  );
}

/**
 * Replace every reference node in `template` with its value.
 *
 * Inside an interpolated string, a list value is joined with single spaces (the natural form for
 * a shell command line) and non-strings are written as JSON.
 */
export function resolveTemplate(template: Template, resolver: TemplateResolver): JsonValue {
  if (template === null || typeof template !== 'object') return template;
  if (Array.isArray(template)) return template.map((item: Template) => resolveTemplate(item, resolver));
  if (isRefNode(template)) {
    switch (template.$ref) {
      case 'literal':
        return template.value;
      case 'input':
        return resolver.input(template);
      case 'output':
        return resolveOutput(template, resolver);
      case 'interpolate':
        return template.parts
          .map((part) => (typeof part === 'string' ? part : toText(resolveTemplate(part, resolver))))
          .join('');
    }
  }
  const result: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(template as { readonly [key: string]: Template })) {
    result[key] = resolveTemplate(value, resolver);
  }
  return result;
}

function resolveOutput(ref: OutputRef, resolver: TemplateResolver): JsonValue {
  if (ref.list) return ref.instances.map((id) => resolver.output(ref, id));
  const [only] = ref.instances;
  return only === undefined ? null : resolver.output(ref, only);
}

function toText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item: JsonValue) => toText(item)).join(' ');
  return JSON.stringify(value);
}

/** Every output and input reference in `template`, depth first (duplicates kept). */
export function collectRefs(
  template: Template,
  into: (OutputRef | InputRef)[] = [],
): (OutputRef | InputRef)[] {
  if (template === null || typeof template !== 'object') return into;
  if (Array.isArray(template)) {
    for (const item of template as readonly Template[]) collectRefs(item, into);
    return into;
  }
  if (isRefNode(template)) {
    if (template.$ref === 'output' || template.$ref === 'input') into.push(template);
    else if (template.$ref === 'interpolate') {
      for (const part of template.parts) if (typeof part !== 'string') into.push(part);
    }
    return into;
  }
  for (const value of Object.values(template as { readonly [key: string]: Template }))
    collectRefs(value, into);
  return into;
}
