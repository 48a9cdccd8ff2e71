/**
 * `ctx.seed`: every step's randomness derives from one 32-bit seed.
 *
 * Rule: if the resolved params have an integer `seed`, it is used (mod 2^32), so a recipe's
 * `seed: 7` means what it says. Otherwise the seed is the first 4 bytes (big-endian) of
 * sha256("<recipe name>\0<instance id>"): stable across runs and machines, distinct per
 * instance, and independent of the step's other params (changing `epochs` does not reshuffle).
 */
import { sha256Hex } from '../cache/canonical-json.js';

export function deriveSeed(
  recipe: string,
  instanceId: string,
  params: Readonly<Record<string, unknown>>,
): number {
  const explicit = params.seed;
  if (typeof explicit === 'number' && Number.isInteger(explicit)) return explicit >>> 0;
  // The first 4 bytes, big-endian, are the first 8 hex digits. Derived for every instance's key,
  // so through `sha256Hex`'s one-shot hash like the key itself.
  return Number.parseInt(sha256Hex(`${recipe}\0${instanceId}`).slice(0, 8), 16);
}
