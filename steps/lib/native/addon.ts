/**
 * Finding and loading the native addon (`native/`, built by `scripts/build-native.mjs` during
 * `npm ci`), shared by every library that has a native fast path (ML kernels, FITS reading).
 * A missing or unloadable addon is not an error here: each caller falls back to its pure-JS or
 * wasm path and reports why. `ASTERISM_NATIVE_ADDON` overrides the location (a path that does
 * not exist forces the fallbacks, which is how tests exercise them).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The loaded module (its exports, typed by each user), or why it is unavailable. */
export type NativeModuleResult =
  | { readonly module: Record<string, unknown>; readonly path: string }
  | { readonly error: string };

const ADDON_RELATIVE = path.join('native', 'build', 'Release', 'asterism_native.node');

/** Walk up from this file to the package root that holds the built addon. */
function findAddon(): string | undefined {
  const override = process.env.ASTERISM_NATIVE_ADDON;
  if (override) return override;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, ADDON_RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

let cached: NativeModuleResult | undefined;

/** Load the addon once per process; later calls return the same result. */
export function loadNativeModule(): NativeModuleResult {
  if (cached) return cached;
  const file = findAddon();
  if (!file) {
    cached = {
      error: `native addon not built (${ADDON_RELATIVE} not found; run \`node scripts/build-native.mjs\`)`,
    };
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    cached = { module: require(file) as Record<string, unknown>, path: file };
  } catch (err) {
    cached = { error: `native addon ${file} failed to load: ${(err as Error).message}` };
  }
  return cached;
}
