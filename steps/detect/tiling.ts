/**
 * Tiled inference moved to steps/lib/models/tiling.ts (train-unet uses it too, to choose the
 * operating threshold on whole validation fields); re-exported here for existing importers.
 */
export { predictTiled, rampWeights, type TileOptions, tileStarts } from '../lib/models/tiling.js';
