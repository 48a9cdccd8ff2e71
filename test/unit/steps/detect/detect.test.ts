import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { StepInputError } from '../../../../engine/index.js';
import { detect } from '../../../../steps/detect/index.js';
import { readCsv } from '../../../../steps/lib/table/csv.js';
import { trainUnet } from '../../../../steps/train-unet/index.js';
import { makeContext, writeTinyDataSet } from './helpers.js';

const run = promisify(execFile);
const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('detect', () => {
  it('runs a trained model tiled over whole images and writes candidates, maps and its report', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    const data = await writeTinyDataSet(setup.outDir, 3);
    const { ctx: trainCtx } = await makeContext(
      {
        ...data,
        channels: ['DIFF', 'SCORR'] as ('DIFF' | 'SCORR')[],
        widths: [4, 8],
        epochs: 1,
        batchSize: 4,
        learningRate: 0.01,
        stampSize: 16,
        backgroundPerField: 1,
        jitterPx: 2,
        validationFraction: 0.3,
        stampsPerArtifact: 1,
        operatingFpPerMegapixel: 1,
        operatingRecall: 0.9,
        thresholdFields: 20,
        patience: 2,
        backend: 'cpu' as const,
        panels: 1,
      },
      { seed: 2 },
    );
    cleanup.push(trainCtx.outDir);
    await trainUnet.run(trainCtx);

    // A threshold of 0 makes every pixel part of one component per field: a known answer for
    // the candidate count and area whatever the briefly trained weights are.
    const { ctx, recorded } = await makeContext({
      model: join(trainCtx.outDir, 'model'),
      difference: data.difference,
      fields: ['field-01', 'field-02'],
      threshold: 0,
      minArea: 1,
      tileSize: 16,
      overlap: 4,
      backend: 'cpu' as const,
    });
    cleanup.push(ctx.outDir);
    const out = await detect.run(ctx);
    const table = await readCsv(join(ctx.outDir, out.candidates));
    expect(table.columns).toEqual(['field', 'x', 'y', 'score', 'area', 'label']);
    expect(table.rows.map((r) => [r.field, r.area, r.label])).toEqual([
      ['field-01', '1024', '1'],
      ['field-02', '1024', '1'],
    ]);
    const report = JSON.parse(await readFile(join(ctx.outDir, out.report), 'utf8'));
    expect(report).toMatchObject({
      detector: 'unet',
      threshold: 0,
      backend: 'cpu',
      fields: ['field-01', 'field-02'],
    });
    expect(recorded.progress).toEqual([
      [1, 2],
      [2, 2],
    ]);

    // astropy reads the probability map: float32, 32×32, within (0, 1), and its maximum is the
    // candidate's score at the candidate's pixel.
    const script = `
import sys
from astropy.io import fits
with fits.open(sys.argv[1]) as h:
    p = h['PROB'].data
    y, x = divmod(int(p.argmax()), p.shape[1])
    print(p.dtype.name, p.shape, bool(p.min() > 0 and p.max() < 1), x, y, repr(float(p.max())))
`;
    const { stdout } = await run('/usr/bin/python3', [
      '-c',
      script,
      join(ctx.outDir, 'probability', 'field-01.fits'),
    ]);
    const row = table.rows[0]!;
    expect(stdout.trim()).toBe(`float32 (32, 32) True ${row.x} ${row.y} ${String(Number(row.score))}`);
  });

  it('explains a model folder without unet.json', async () => {
    const { ctx } = await makeContext({
      model: '/nonexistent/model',
      difference: '/nonexistent/diff',
      threshold: 0.5,
      minArea: 1,
      tileSize: 256,
      overlap: 32,
      backend: 'cpu' as const,
    });
    cleanup.push(ctx.outDir);
    const error = await detect.run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepInputError);
    expect((error as Error).message).toBe(
      "cannot read the model configuration: ENOENT: no such file or directory, open '/nonexistent/model/unet.json'",
    );
  });
});
