/**
 * The built-in steps. `bin/asterism.ts` hands this list to the engine's CLI; nothing in
 * `engine/` imports it. Add a step by importing its definition and appending it here.
 */
import type { AnyStepDefinition } from '../engine/index.js';
import { augment } from './augment/index.js';
import { detect } from './detect/index.js';
import { detectThreshold } from './detect-threshold/index.js';
import { difference } from './difference/index.js';
import { evaluate } from './evaluate/index.js';
import { fetchCutouts } from './fetch-cutouts/index.js';
import { fetchSharps } from './fetch-sharps/index.js';
import { fitSvmDirections } from './fit-svm-directions/index.js';
import { inject } from './inject/index.js';
import { latentTraverse } from './latent-traverse/index.js';
import { physicalParametersStep } from './physical-parameters/index.js';
import { preparePatches } from './prepare-patches/index.js';
import { previewDetections } from './preview-detections/index.js';
import { sampleLatents } from './sample-latents/index.js';
import { simulateActiveRegions } from './simulate-active-regions/index.js';
import { simulateSky } from './simulate-sky/index.js';
import { trainGan } from './train-gan/index.js';
import { trainUnet } from './train-unet/index.js';

export const builtinSteps: readonly AnyStepDefinition[] = [
  simulateActiveRegions,
  preparePatches,
  trainGan,
  sampleLatents,
  fitSvmDirections,
  latentTraverse,
  physicalParametersStep,
  detectThreshold,
  evaluate,
  trainUnet,
  detect,
  simulateSky,
  inject,
  difference,
  previewDetections,
  augment,
  fetchCutouts,
  fetchSharps,
];
