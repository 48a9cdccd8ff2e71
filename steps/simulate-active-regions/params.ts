/** Parameters of `simulate-active-regions` (JSON Schema, `as const` so `ctx.params` is typed from it). */
export const simulateActiveRegionsParams = {
  type: 'object',
  additionalProperties: false,
  properties: {
    count: {
      type: 'integer',
      minimum: 1,
      maximum: 1000000,
      default: 3000,
      description: 'Number of patches.',
    },
    size: { type: 'integer', minimum: 8, maximum: 4096, default: 128, description: 'Patch side, pixels.' },
    pixelSizeMm: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.72,
      description: 'Pixel size, Mm (SHARP CEA pixels are 0.364 Mm; 0.72 Mm shows a 92 Mm field at 128 px).',
    },
    fluxRangeMx: {
      type: 'array',
      items: { type: 'number', exclusiveMinimum: 0 },
      minItems: 2,
      maxItems: 2,
      default: [3e20, 3e22],
      description: 'Range of the per-polarity peak flux, Mx (drawn log-uniformly).',
    },
    multipolarFraction: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.2,
      description: 'Fraction of regions with one or two extra bipoles.',
    },
    antiHaleFraction: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.05,
      description: 'Fraction of regions breaking Hale’s polarity law.',
    },
    antiJoyFraction: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.1,
      description: 'Fraction of regions whose tilt sign is flipped against Joy’s law.',
    },
    noiseGauss: { type: 'number', minimum: 0, default: 10, description: 'Gaussian noise per pixel, G.' },
  },
} as const;
