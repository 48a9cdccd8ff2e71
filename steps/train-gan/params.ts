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
    discriminatorLearningRate: {
      type: 'number',
      exclusiveMinimum: 0,
      description:
        'Adam rate of the discriminator (two time-scale update rule, Heusel et al. 2017); default: `learningRate`, as the paper.',
    },
    learningRateDecayFraction: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0,
      description:
        'Fraction of all iterations, at the end, over which both Adam rates decay linearly to 0 (as CycleGAN; paper: 0, constant rates).',
    },
    adamBeta1: {
      type: 'number',
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0.9,
      description: 'Adam β₁ of both networks (paper: PyTorch’s default 0.9; DCGAN uses 0.5).',
    },
    realLabel: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 1,
      description: 'Discriminator target for real patches (paper: 1; < 1 is one-sided label smoothing).',
    },
    instanceNoise: {
      type: 'number',
      minimum: 0,
      default: 0,
      description:
        'σ (kG) of Gaussian noise added to every image the discriminator sees, decaying linearly to 0 over `instanceNoiseFraction` of the iterations (paper: 0).',
    },
    instanceNoiseFraction: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.5,
      description: 'Fraction of all iterations over which the instance noise decays to 0.',
    },
    augment: {
      type: 'string',
      enum: ['none', 'hemisphere'],
      default: 'none',
      description:
        'Real-patch augmentation: `hemisphere` turns half of each batch into its other-hemisphere twin (B → −B, rows reversed), a symmetry of the training distribution (paper: none).',
    },
    minibatchStd: {
      type: 'boolean',
      default: false,
      description:
        'Append a minibatch standard-deviation channel to the discriminator’s last feature map (Karras et al. 2018), so that it sees a lack of variety in a generated batch (paper: false).',
    },
    emaDecay: {
      type: 'number',
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0,
      description:
        'β of an exponential moving average of the generator weights, evaluated and kept instead of the raw generator (paper: 0, off).',
    },
    regenerateFakes: {
      type: 'boolean',
      default: true,
      description:
        'Discriminator step on G(z) recomputed by the updated generator, as the paper’s gan.py (false: reuse the generator step’s images).',
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
