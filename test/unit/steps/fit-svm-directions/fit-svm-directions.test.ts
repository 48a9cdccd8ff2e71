import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DirectionsFile } from '../../../../steps/fit-svm-directions/index.js';
import { fitSvmDirections } from '../../../../steps/fit-svm-directions/index.js';
import { Random } from '../../../../steps/lib/random.js';
import { dot, unitVector } from '../../../../steps/lib/svm/directions.js';
import { writeLatents } from '../../../../steps/lib/svm/latent-io.js';
import { writeCsv } from '../../../../steps/lib/table/csv.js';
import { runStep } from '../lib/solar/step-context.js';

describe('fit-svm-directions', () => {
  it('recovers planted directions and makes the conditional one orthogonal to its condition', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svm-step-'));
    const [n, d] = [600, 16];
    const rng = new Random(1);
    const z = rng.normalArray(n * d);
    const a = unitVector(rng.normalArray(d));
    const b = unitVector(a.map((v, i) => v + (i === 0 ? 1 : 0))); // correlated with a
    const rows = Array.from({ length: n }, (_, i) => {
      const zi = z.subarray(i * d, (i + 1) * d);
      return { tuf: dot(zi, a) + 0.1 * rng.normal(), r: dot(zi, b) + 0.1 * rng.normal(), flag: 0 };
    });
    writeLatents(join(dir, 'latents.fits'), { data: z, rows: n, columns: d });
    await writeCsv(join(dir, 'parameters.csv'), ['tuf', 'r', 'flag'], rows);
    const run = await runStep(fitSvmDirections, {
      latents: join(dir, 'latents.fits'),
      parameters: join(dir, 'parameters.csv'),
      fit: ['tuf', 'r'],
      conditional: [{ name: 'tuf-without-r', primal: 'tuf', conditions: ['r'] }],
    });
    try {
      const out = JSON.parse(await readFile(join(run.outDir, 'directions.json'), 'utf8')) as DirectionsFile;
      const tuf = out.parameters.tuf as DirectionsFile['parameters'][string];
      // Labels are a linear function of z plus small noise: nearly separable, normal ≈ a.
      expect(tuf.validationAccuracy).toBeGreaterThan(0.9);
      expect(tuf.nTrain + tuf.nValidation).toBe(n);
      expect(tuf.nValidation).toBe(Math.ceil(0.3 * n));
      expect(dot(tuf.normal, a)).toBeGreaterThan(0.95);
      const cond = out.conditional['tuf-without-r'] as DirectionsFile['conditional'][string];
      expect(Math.abs(dot(cond.direction, out.parameters.r?.normal ?? []))).toBeLessThan(1e-12);
      expect(dot(cond.direction, cond.direction)).toBeCloseTo(1, 12);
      await expect(
        runStep(fitSvmDirections, {
          latents: join(dir, 'latents.fits'),
          parameters: join(dir, 'parameters.csv'),
          fit: ['tuff'],
        }),
      ).rejects.toThrow(/no column `tuff`/);
    } finally {
      await run.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
