/**
 * `ctx.seed`: every step's randomness derives from one 32-bit seed.
 *
 * Rule: if the resolved params have an integer `seed`, it is used (mod 2^32), so a recipe's
 * `seed: 7` means what it says. Otherwise the seed is the first 4 bytes (big-endian) of
 * sha256("<recipe name>\0<instance id>"): stable across runs and machines, distinct per
 * instance, and independent of the step's other params (changing `epochs` does not reshuffle).
 */
import { createHash } from 'node:crypto';

export function deriveSeed(
  recipe: string,
  instanceId: string,
  params: Readonly<Record<string, unknown>>,
): number {
  const explicit = params.seed;
  if (typeof explicit === 'number' && Number.isInteger(explicit)) return explicit >>> 0;
  return createHash('sha256').update(`${recipe}\0${instanceId}`).digest().readUInt32BE(0);
}
