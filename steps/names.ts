/**
 * The names of the built-in steps in `index.ts`, known without loading their modules (which
 * import TensorFlow.js and the science code): the CLI loads those only for a recipe that uses
 * one of them. `test/unit/steps/names.test.ts` keeps this list equal to `builtinSteps`.
 */
export const BUILTIN_STEP_NAMES: readonly string[] = [
  'simulate-active-regions',
  'prepare-patches',
  'train-gan',
  'sample-latents',
  'fit-svm-directions',
  'latent-traverse',
  'physical-parameters',
  'detect-threshold',
  'evaluate',
  'train-unet',
  'detect',
  'simulate-sky',
  'inject',
  'difference',
  'preview-detections',
  'augment',
  'fetch-cutouts',
  'fetch-sharps',
];
