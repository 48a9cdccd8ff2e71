/**
 * The yaml package, loaded on first use rather than imported at startup.
 *
 * Why: loading it is about 25 ms, a twentieth of a no-op rerun of a 10,000-step recipe, and a
 * run whose recipe parse is in the parse cache (`parse-cache.ts`) reads no YAML at all. The
 * package's Node entry point is CommonJS, so `require` gives the very module `import` would.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);

let yaml: typeof Yaml | undefined;

/** The yaml package (loaded by the first call). */
export function yamlLib(): typeof Yaml {
  yaml ??= require('yaml') as typeof Yaml;
  return yaml;
}

/** The installed yaml package's version (part of the parse cache's file names). */
export function yamlVersion(): string {
  return (require('yaml/package.json') as { version: string }).version;
}
