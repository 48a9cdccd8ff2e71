/** Parameters of `inject` (JSON Schema, `as const` so `ctx.params` is typed from it). */
const count = (description: string, value: number) =>
  ({ type: 'integer', minimum: 0, maximum: 10000, default: value, description }) as const;

export const injectParams = {
  type: 'object',
  additionalProperties: false,
  properties: {
    images: { type: 'string', description: 'Science image set to inject into (folder of <field>.fits).' },
    catalog: {
      type: 'string',
      description:
        'Optional catalog CSV (field,kind,x_sci|x,y_sci|y,flux_sci,r_eff) for variable stars and hosts.',
    },
    supernovae: count('Supernovae (PSF point sources) per field.', 3),
    variables: count('Variable stars (flux change of a catalogued star) per field; needs `catalog`.', 1),
    movers: count('Moving objects (trailed PSF) per field.', 1),
    cosmicRays: count('Cosmic rays (sharp tracks) per field.', 2),
    hotPixels: count('Hot pixels per field.', 2),
    dipoles: count('Misalignment dipoles per field.', 1),
    brightness: {
      enum: ['snr', 'mag'],
      default: 'snr',
      description: 'Set fluxes by PSF-photometry S/N in the image (snrRange) or by magnitude (magRange).',
    },
    snrRange: {
      type: 'array',
      items: { type: 'number', exclusiveMinimum: 0 },
      minItems: 2,
      maxItems: 2,
      default: [5, 30],
      description: 'S/N range (uniform) of transients; artifacts scale from it.',
    },
    magRange: {
      type: 'array',
      items: { type: 'number' },
      minItems: 2,
      maxItems: 2,
      default: [19, 23],
      description: 'Magnitude range (uniform) with `brightness: mag` (MAGZERO keyword, else `zeroPoint`).',
    },
    zeroPoint: {
      type: 'number',
      default: 25,
      description: 'Magnitude of 1 ADU when the header has no MAGZERO.',
    },
    hostFraction: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description: 'Fraction of supernovae placed near a catalogued galaxy (kind = galaxy).',
    },
    trailLengthPx: {
      type: 'array',
      items: { type: 'number', minimum: 0 },
      minItems: 2,
      maxItems: 2,
      default: [6, 25],
      description: 'Trail length range of moving objects, pixels.',
    },
    maskThreshold: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 1,
      description:
        'Mask pixels where the injected signal exceeds this many background σ (at least the peak).',
    },
    photonNoise: {
      type: 'boolean',
      default: true,
      description: 'Add Poisson noise of the injected flux (needs GAIN).',
    },
    seed: { type: 'integer', description: 'Random seed (else derived from the recipe and step).' },
  },
  required: [
    'images',
    'supernovae',
    'variables',
    'movers',
    'cosmicRays',
    'hotPixels',
    'dipoles',
    'brightness',
    'snrRange',
    'magRange',
    'zeroPoint',
    'hostFraction',
    'trailLengthPx',
    'maskThreshold',
    'photonNoise',
  ],
} as const;
