/**
 * JSON Schema validators for the engine (the recipe shape and every step's params), compiled by
 * ajv once per schema and kept on disk between runs.
 *
 * Why on disk: compiling is most of what validation costs a short command. ajv first compiles
 * its own meta-schema (about 30 ms) to check the schema, then the schema itself, and loading
 * ajv is another 25 ms; together about a sixth of a no-op rerun of a 10,000-step recipe. So a
 * compiled validator is also written out as ajv's standalone code (the same function ajv built,
 * as source), named by the hash of the ajv version, the options and the schema, and later runs
 * load that instead of loading ajv at all. A schema is only written after ajv compiled it, so
 * a cached validator is one whose schema passed ajv's checks.
 *
 * Location: `$ASTERISM_VALIDATOR_CACHE`, else `$XDG_CACHE_HOME/asterism/validators`, else
 * `~/.cache/asterism/validators`. A folder that cannot be written, or a file that cannot be
 * read back, only means compiling again; a file is written whole (temporary name, then rename)
 * or not at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { storeQuietly, userCacheDir } from '../user-cache.js';

const require = createRequire(import.meta.url);

// strict: false lets step authors add annotations (`x-unit`, `examples`) ajv does not know.
// `useDefaults` fills step params defaults (the recipe shape schema declares none); `verbose`
// gives the shape pass the failing value for its messages; `code.source` keeps the generated
// code so it can be written out.
const OPTIONS = {
  allErrors: true,
  useDefaults: true,
  strict: false,
  verbose: true,
  code: { source: true },
} as const;

/** Bumped when the way validators are stored changes. */
const STORE_FORMAT = 1;

let ajvInstance: Ajv | undefined;

/** The engine's one ajv instance, loaded on first need (a run whose validators are all cached never loads it). */
function ajv(): Ajv {
  if (ajvInstance === undefined) {
    const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
    ajvInstance = new AjvClass(OPTIONS);
  }
  return ajvInstance;
}

/** Where compiled validators are kept; `undefined` when there is no usable home folder. */
export function validatorCacheDir(): string | undefined {
  return userCacheDir('ASTERISM_VALIDATOR_CACHE', 'validators');
}

let ajvVersion: string | undefined;

/** The file a schema's validator is kept in. */
function validatorFile(dir: string, schema: object): string {
  ajvVersion ??= (require('ajv/package.json') as { version: string }).version;
  const identity = JSON.stringify([STORE_FORMAT, ajvVersion, OPTIONS, schema]);
  return join(dir, `${createHash('sha256').update(identity).digest('hex')}.cjs`);
}

/** Run a stored validator's CommonJS source; `undefined` when it is missing or unusable. */
function loadStored(file: string): ValidateFunction | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    // The code ajv generated for this schema (what `ajv.compile` itself evaluates with
    // `new Function`); it requires only ajv's small runtime helpers.
    const module: { exports: { default?: unknown } } = { exports: {} };
    new Function('require', 'module', 'exports', source)(require, module, module.exports);
    const validate = module.exports.default ?? module.exports;
    return typeof validate === 'function' ? (validate as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
}

function store(file: string, dir: string, validate: ValidateFunction): void {
  // Not writable, or the code could not be generated: the next run compiles again.
  storeQuietly(dir, file, () => {
    const standalone = (
      require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')
    ).default;
    return standalone(ajv(), validate);
  });
}

/**
 * The validator of `schema`: loaded from the validator cache, else compiled by ajv (which
 * throws on an invalid schema) and stored for the next run.
 */
export function compileSchema(schema: object): ValidateFunction {
  const dir = validatorCacheDir();
  const file = dir === undefined ? undefined : validatorFile(dir, schema);
  const stored = file === undefined ? undefined : loadStored(file);
  if (stored !== undefined) return stored;
  const validate = ajv().compile(schema);
  if (file !== undefined && dir !== undefined) store(file, dir, validate);
  return validate;
}
