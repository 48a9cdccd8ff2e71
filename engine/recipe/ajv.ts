/**
 * The engine's one ajv instance. ajv compiles its JSON Schema meta-schema once per instance
 * (about 35 ms), so the recipe shape pass and every step's params schema share this one.
 * `useDefaults` fills step params defaults (the recipe shape schema declares none); `verbose`
 * gives the shape pass the failing value for its messages.
 */
import { Ajv } from 'ajv';

// strict: false lets step authors add annotations (`x-unit`, `examples`) ajv does not know.
export const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
