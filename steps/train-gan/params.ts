/** Parameters of `train-gan` (JSON Schema, `as const` so `ctx.params` is typed from it). */
export const trainGanParams = {
  type: 'object',
  additionalProperties: false,
  required: ['patches'],
  properties: {
    patches: { type: 'string', description: 'FITS cube of N×N training patches in kG (prepare-patches).' },
    epochs: { type: 'integer', minimum: 1, default: 100, description: 'Passes over the training set.' },
    batchSize: { type: 'integer', minimum: 1, default: 32, description: 'Batch size (paper: 32).' },
    learningRate: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.0005,
      description: 'Adam rate (paper: 5e-4).',
    },
    select: {
      type: 'string',
      enum: ['physics', 'paper', 'last'],
      default: 'physics',
      description:
        'Epoch to keep: smallest max KS over TUF, R, PSEP, net flux (physics); lowest held-out D accuracy in the first half (paper); or the last.',
    },
    evalSamples: {
      type: 'integer',
      minimum: 10,
      default: 500,
      description: 'Generated patches per epoch for the KS statistics and D accuracy.',
    },
    holdout: {
      type: 'integer',
      minimum: 1,
      default: 200,
      description: 'Real patches kept out of training to measure the discriminator accuracy.',
    },
    keepCheckpoints: {
      type: 'boolean',
      default: false,
      description: 'Keep every epoch’s generator (else only the candidates of the selection rules).',
    },
    backend: {
      type: 'string',
      enum: ['auto', 'tensorflow', 'native', 'wasm', 'cpu'],
      default: 'auto',
      description: 'tfjs backend (auto: GPU, TensorFlow, native CPU kernels, wasm, cpu).',
    },
  },
} as const;
