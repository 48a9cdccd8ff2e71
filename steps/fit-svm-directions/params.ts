/** Parameters of `fit-svm-directions` (JSON Schema, `as const` so `ctx.params` is typed from it). */
export const fitSvmDirectionsParams = {
  type: 'object',
  additionalProperties: false,
  required: ['latents', 'parameters'],
  properties: {
    latents: {
      type: 'string',
      description: 'FITS image of latent vectors (one per row), from sample-latents.',
    },
    parameters: { type: 'string', description: 'CSV with one row per latent (physical-parameters columns).' },
    fit: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      default: ['tuf', 'psep', 'r', 'dipole_ew', 'net_flux'],
      description: 'Columns to turn into directions (label: above the median).',
    },
    conditional: {
      type: 'array',
      default: [{ name: 'tuf-without-r', primal: 'tuf', conditions: ['r'] }],
      description: 'Conditional directions: the primal normal with the condition normals projected out.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'primal', 'conditions'],
        properties: {
          name: { type: 'string' },
          primal: { type: 'string' },
          conditions: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
      },
    },
    C: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 1,
      description: 'SVM inverse regularisation (paper: 1).',
    },
    validationFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.3 },
    tol: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.1,
      description:
        "Dual CD stopping tolerance ε (max PG − min PG ≤ ε), LIBLINEAR's default; 0.01 costs ~1.5× the work; the normals agree to cos ≥ 0.9998 (docs/solar-gan-svm.md).",
    },
    maxIter: { type: 'integer', minimum: 1, default: 20000, description: 'Passes over the data at most.' },
    dropFlagged: {
      type: 'boolean',
      default: false,
      description: 'Leave out latents whose image lacks a strong polarity (flag ≠ 0).',
    },
  },
} as const;
