/**
 * Plugin loading: a recipe's `plugins:` are module files whose named export `steps` is an array
 * of step definitions. A plugin's code identity is the content hash of its module file and of
 * the local files it imports (relative specifiers, transitively), so editing a plugin reruns its
 * steps without a manual version bump.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AsterismError } from '../errors.js';
import { checkDefinition } from '../registry.js';
import type { AnyStepDefinition } from '../step.js';

/** A loaded plugin module. */
export interface LoadedPlugin {
  /** Absolute path of the module file. */
  readonly module: string;
  readonly steps: readonly AnyStepDefinition[];
  /** `plugin:sha256:<hex>` over the module and its local imports. */
  readonly codeIdentity: string;
}

const RELATIVE_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]+)\1/g;
const CANDIDATE_SUFFIXES = ['', '.ts', '.js', '.mjs', '.mts', '/index.ts', '/index.js'];

/** Resolve a relative import specifier to a file on disk (TypeScript sources written as `.js` too). */
function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const stems = [base];
  if (/\.[cm]?js$/.test(base)) stems.push(base.replace(/\.([cm]?)js$/, '.$1ts'));
  for (const stem of stems) {
    for (const suffix of stem === base ? CANDIDATE_SUFFIXES : ['']) {
      const candidate = stem + suffix;
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/** `plugin:sha256:<hex>` of `entry` and every local file it imports, transitively. */
export async function pluginCodeIdentity(entry: string): Promise<string> {
  const seen = new Map<string, Buffer>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    const content = await readFile(file);
    seen.set(file, content);
    for (const match of content.toString('utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolveLocal(file, match[2] ?? '');
      if (target !== undefined && !seen.has(target)) pending.push(target);
    }
  }
  const hash = createHash('sha256');
  // Paths enter relative to the entry's folder, so moving the project does not change identity.
  const root = dirname(entry);
  for (const file of [...seen.keys()].sort()) {
    hash.update(`${file.startsWith(root) ? file.slice(root.length) : file}\0`);
    hash.update(seen.get(file)!);
    hash.update('\0');
  }
  return `plugin:sha256:${hash.digest('hex')}`;
}

/** Import a plugin module and check its `steps` export; throws `PLUGIN_INVALID` with the reason. */
export async function loadPlugin(module: string): Promise<LoadedPlugin> {
  if (!existsSync(module)) {
    throw new AsterismError('PLUGIN_NOT_FOUND', `plugin file not found: ${module}`, {
      hint: 'plugin paths are relative to the recipe file',
    });
  }
  const codeIdentity = await pluginCodeIdentity(module);
  let exports: Record<string, unknown>;
  try {
    // The identity in the URL makes an edited plugin load afresh (watch mode) instead of from Node's cache.
    exports = (await import(`${pathToFileURL(module).href}?id=${codeIdentity.slice(-16)}`)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new AsterismError('PLUGIN_INVALID', `cannot load plugin ${module}: ${(error as Error).message}`, {
      hint: 'a plugin is an ES module (.js/.mjs; .ts only when running under tsx)',
      cause: error,
    });
  }
  const steps = exports.steps;
  if (!Array.isArray(steps)) {
    throw new AsterismError(
      'PLUGIN_INVALID',
      `plugin ${module} has no named export \`steps\` (an array of step definitions)`,
      {
        hint: 'add `export const steps = [myStep];`',
      },
    );
  }
  for (const [index, step] of steps.entries()) {
    const problem = checkDefinition(step);
    if (problem !== undefined) {
      throw new AsterismError('PLUGIN_INVALID', `plugin ${module}: steps[${index}] ${problem}`, {
        hint: 'a step is `{ name, version, description, params, outputs, run }` (see defineStep)',
      });
    }
  }
  return { module, steps: steps as AnyStepDefinition[], codeIdentity };
}
