/** Parameters of `fetch-cutouts` (JSON Schema, `as const` so `ctx.params` is typed from it). */

export const fetchCutoutsParams = {
  type: 'object',
  additionalProperties: false,
  required: ['positions'],
  properties: {
    positions: {
      description:
        'A CSV file with `ra,dec` (degrees) and optional `name` columns, or an inline list of {ra, dec, name}.',
      anyOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['ra', 'dec'],
            properties: {
              ra: { type: 'number', minimum: 0, exclusiveMaximum: 360 },
              dec: { type: 'number', minimum: -90, maximum: 90 },
              name: { type: 'string' },
            },
          },
        },
      ],
    },
    source: {
      enum: ['ps1', 'legacy', 'hips2fits', 'local'],
      default: 'ps1',
      description: 'Pan-STARRS1 fitscut, Legacy Surveys fits-cutout, CDS hips2fits, or local FITS files.',
    },
    size: { type: 'integer', minimum: 1, maximum: 10000, default: 240, description: 'Cutout side, pixels.' },
    band: {
      type: 'string',
      minLength: 1,
      default: 'r',
      description:
        'Filter: PS1 one of grizy; Legacy Surveys one of its bands (g, r, z, ...). Unused by hips2fits.',
    },
    pixelScaleArcsec: {
      type: 'number',
      exclusiveMinimum: 0,
      description:
        'Pixel scale, arcsec/pixel (legacy: default 0.262; hips2fits: default 1). PS1 is fixed at 0.25.',
    },
    layer: { type: 'string', default: 'ls-dr10', description: 'Legacy Surveys viewer layer.' },
    hips: { type: 'string', default: 'CDS/P/DSS2/red', description: 'hips2fits survey (HiPS id).' },
    baseUrl: {
      type: 'string',
      minLength: 1,
      description: "The service's base URL (default the public service; for mirrors and tests).",
    },
    path: {
      type: 'string',
      minLength: 1,
      description: 'source local: a folder of FITS files or a glob such as `data/*.fits`.',
    },
    requestsPerSecond: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 2,
      description: 'At most this many requests start per second (retries included).',
    },
    concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'Requests in flight.' },
    timeoutSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 60,
      description: 'Per-request limit for the whole response, seconds.',
    },
    retries: {
      type: 'integer',
      minimum: 0,
      maximum: 20,
      default: 4,
      description: 'Retries after the first try.',
    },
    backoffSeconds: {
      type: 'number',
      minimum: 0,
      default: 1,
      description: 'Base of the exponential backoff (full jitter): retry k waits up to base·2^k s.',
    },
    maxRetryAfterSeconds: {
      type: 'number',
      minimum: 0,
      default: 300,
      description: 'A Retry-After longer than this fails the position instead of waiting.',
    },
    allowMissing: {
      type: 'boolean',
      default: false,
      description: 'Succeed when some positions fail (they are listed in the catalog with their error).',
    },
  },
} as const;
