/** Parameters of `fetch-sharps` (JSON Schema, `as const` so `ctx.params` is typed from it). */

export const fetchSharpsParams = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source: { enum: ['jsoc', 'local'], default: 'jsoc', description: 'JSOC export, or a local folder.' },
    harp: {
      description: 'HARP number(s) of the active regions.',
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 } },
      ],
    },
    start: {
      type: 'string',
      pattern: '^\\S+$',
      description: 'Start time, DRMS syntax: 2011.02.15_00:00:00_TAI.',
    },
    end: { type: 'string', pattern: '^\\S+$', description: 'End time, DRMS syntax.' },
    cadence: {
      type: 'string',
      pattern: '^[0-9.]+[smhd]$',
      description: 'Sampling, e.g. 1h (appended as @1h).',
    },
    series: { type: 'string', default: 'hmi.sharp_cea_720s', description: 'DRMS series.' },
    segment: { type: 'string', default: 'Br', description: 'Segment: Br (radial field), Bp, Bt, ...' },
    notify: { type: 'string', description: 'Email registered with JSOC (required by JSOC for exports).' },
    baseUrl: { type: 'string', default: 'http://jsoc.stanford.edu', description: 'JSOC base URL.' },
    path: { type: 'string', minLength: 1, description: 'source local: a folder of SHARP FITS files.' },
    pollSeconds: { type: 'number', exclusiveMinimum: 0, default: 5, description: 'Export status polling.' },
    maxWaitMinutes: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 30,
      description: 'Give up on an export after this.',
    },
    requestsPerSecond: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 1,
      description: 'Request starts per second.',
    },
    concurrency: {
      type: 'integer',
      minimum: 1,
      maximum: 16,
      default: 2,
      description: 'Downloads in flight.',
    },
    timeoutSeconds: { type: 'number', exclusiveMinimum: 0, default: 120, description: 'Per request.' },
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
      default: 2,
      description: 'Base of the exponential backoff.',
    },
    allowMissing: { type: 'boolean', default: false, description: 'Succeed when some files fail.' },
  },
} as const;
