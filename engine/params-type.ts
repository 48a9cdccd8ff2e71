/**
 * `ParamsOf<S>`: the TypeScript type of a step's parameters, derived from its JSON Schema
 * (written `as const`).
 *
 * Deliberately small: it understands the schema keywords step params use (`type`, `properties`,
 * `required`, `default`, `enum`, `const`, `items`, `anyOf`/`oneOf`, `additionalProperties`),
 * and treats a property with a `default` as always present, because ajv fills defaults in
 * before `run` sees them. A general JSON-Schema-to-type library costs so many type
 * instantiations per step that a long `run` body hit TypeScript's depth limit (TS2589); this one
 * costs a handful.
 */

/** A JSON Schema as a step declares it. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

type TypeName = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';

type ByTypeName<N, S> = N extends 'string'
  ? string
  : N extends 'number' | 'integer'
    ? number
    : N extends 'boolean'
      ? boolean
      : N extends 'null'
        ? null
        : N extends 'array'
          ? S extends { readonly items: infer I }
            ? ParamsOf<I>[]
            : unknown[]
          : N extends 'object'
            ? ObjectOf<S>
            : unknown;

type RequiredKeys<S> = S extends { readonly required: readonly (infer K)[] } ? K : never;
type DefaultedKeys<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

type ObjectOf<S> = S extends { readonly properties: infer P }
  ? Simplify<
      {
        -readonly [K in keyof P as K extends RequiredKeys<S> | DefaultedKeys<P> ? K : never]: ParamsOf<P[K]>;
      } & {
        -readonly [K in keyof P as K extends RequiredKeys<S> | DefaultedKeys<P> ? never : K]?: ParamsOf<P[K]>;
      } & (S extends { readonly additionalProperties: infer A }
          ? A extends false
            ? unknown
            : A extends true
              ? Record<string, unknown>
              : Record<string, ParamsOf<A>>
          : unknown)
    >
  : S extends { readonly additionalProperties: infer A }
    ? A extends false
      ? Record<string, never>
      : A extends true
        ? Record<string, unknown>
        : Record<string, ParamsOf<A>>
    : Record<string, unknown>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type a JSON Schema describes (see the module comment for what is understood). */
export type ParamsOf<S> = S extends true
  ? unknown
  : S extends { readonly const: infer C }
    ? C
    : S extends { readonly enum: readonly (infer E)[] }
      ? E
      : S extends { readonly anyOf: readonly (infer U)[] }
        ? ParamsOf<U>
        : S extends { readonly oneOf: readonly (infer U)[] }
          ? ParamsOf<U>
          : S extends { readonly type: readonly (infer N extends TypeName)[] }
            ? ByTypeName<N, S>
            : S extends { readonly type: infer N extends TypeName }
              ? ByTypeName<N, S>
              : unknown;
