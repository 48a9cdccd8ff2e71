/**
 * sample-latents: N latent vectors z ~ N(0, I) from the seed, the generator's images of them,
 * and the physical parameters of each image — the data the SVMs of fit-svm-directions learn
 * from (the paper uses 10,000).
 */
import { join } from 'node:path';
import { defineStep } from '../../engine/index.js';
import { provenanceCards } from '../lib/fits/index.js';
import type { BackendPreference } from '../lib/ml/backend.js';
import { Random } from '../lib/random.js';
import { PARAMETER_COLUMNS, parameterRows } from '../lib/solar/parameter-rows.js';
import { writePatchStack } from '../lib/solar/patch-stack.js';
import { writeLatents } from '../lib/svm/latent-io.js';
import { writeCsv } from '../lib/table/csv.js';

/** Parameters of `sample-latents`. */
export const sampleLatentsParams = {
  type: 'object',
  additionalProperties: false,
  required: ['generator'],
  properties: {
    generator: { type: 'string', description: 'Generator model folder (train-gan `generator`).' },
    count: { type: 'integer', minimum: 1, default: 10000, description: 'Number of latent vectors.' },
    batchSize: { type: 'integer', minimum: 1, default: 64, description: 'Images generated per batch.' },
    backend: {
      type: 'string',
      enum: ['auto', 'tensorflow', 'native', 'wasm', 'cpu'],
      default: 'auto',
      description: 'tfjs backend.',
    },
  },
} as const;

export const sampleLatents = defineStep({
  name: 'sample-latents',
  version: '1',
  description: 'Draw latent vectors, generate their images and measure their physical parameters.',
  params: sampleLatentsParams,
  outputs: {
    latents: 'FITS image count×100 (float64): one z per row.',
    images: 'FITS cube N×N×count (float32, kG): G(z) for each row of latents.',
    parameters: 'CSV: patch,tuf,psep,r,tilt,flux_pos,flux_neg,area,net_flux,dipole_ew,flag, one row per z.',
  },
  resources: { gpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    const { initBackend } = await import('../lib/ml/backend.js');
    const { loadModel } = await import('../lib/ml/model-io.js');
    const { generateImages } = await import('../lib/solar/generate.js');
    const backend = await initBackend((p.backend ?? 'auto') as BackendPreference, { log: ctx.log.info });
    ctx.reportBackend?.(`${backend.name}, ${backend.threads} thread(s)`);
    const generator = await loadModel(p.generator);
    const latentDim = generator.inputs[0]?.shape[1];
    if (typeof latentDim !== 'number') throw new Error(`generator input shape has no latent dimension`);
    const count = p.count ?? 10000;
    const z = new Random(ctx.seed).normalArray(count * latentDim);
    const started = performance.now();
    const stack = generateImages(generator, z, count, latentDim, {
      batchSize: p.batchSize ?? 64,
      onBatch: (done) => {
        ctx.signal.throwIfAborted();
        ctx.progress(done, count);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    ctx.log.info(
      `generated ${count} images of ${stack.size}×${stack.size} in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(1)} images/s)`,
    );
    generator.dispose();
    const cards = provenanceCards(ctx.provenance);
    writeLatents(join(ctx.outDir, 'latents.fits'), { data: z, rows: count, columns: latentDim }, cards);
    writePatchStack(
      join(ctx.outDir, 'images.fits'),
      { width: stack.size, height: stack.size, count, data: stack.data, unit: 'kG', pixelSizeMm: undefined },
      [{ keyword: 'CONTENT', value: 'GAN images G(z), one per latent row' }, ...cards],
    );
    await writeCsv(
      join(ctx.outDir, 'parameters.csv'),
      PARAMETER_COLUMNS,
      parameterRows(stack.data, stack.size),
    );
    return { latents: 'latents.fits', images: 'images.fits', parameters: 'parameters.csv' };
  },
});
