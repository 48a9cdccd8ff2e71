/** Parameters of `latent-traverse` (JSON Schema, `as const` so `ctx.params` is typed from it). */
export const latentTraverseParams = {
  type: 'object',
  additionalProperties: false,
  required: ['generator', 'directions', 'direction'],
  properties: {
    generator: { type: 'string', description: 'Generator model folder (train-gan `generator`).' },
    directions: { type: 'string', description: 'directions.json from fit-svm-directions.' },
    direction: {
      type: 'string',
      description: 'A fitted parameter (e.g. `tuf`) or a conditional direction (e.g. `tuf-without-r`).',
    },
    seeds: { type: 'integer', minimum: 1, default: 10, description: 'Seed latents z₀ ~ N(0, I).' },
    epsilonRange: {
      type: 'array',
      items: { type: 'number' },
      minItems: 2,
      maxItems: 2,
      default: [-3, 3],
      description: 'Smallest and largest ε in z₀ + ε n̂.',
    },
    steps: {
      type: 'integer',
      minimum: 2,
      default: 13,
      description: 'ε values, evenly spaced over the range.',
    },
    backend: {
      type: 'string',
      enum: ['auto', 'tensorflow', 'native', 'wasm', 'cpu'],
      default: 'auto',
      description: 'tfjs backend.',
    },
  },
} as const;
