import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { StepInputError } from '../../../../engine/index.js';
import { DEFAULT_THRESHOLD_GRID } from '../../../../steps/lib/metrics/operating-threshold.js';
import { readCsv } from '../../../../steps/lib/table/csv.js';
import { trainUnet } from '../../../../steps/train-unet/index.js';
import { makeContext, writeTinyDataSet } from '../detect/helpers.js';

const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Tiny-model params: 2 levels of 4 and 8 channels, 16-pixel stamps, on tfjs `cpu`. */
function tinyParams(data: Awaited<ReturnType<typeof writeTinyDataSet>>) {
  return {
    ...data,
    channels: ['DIFF', 'SCORR', 'science', 'reference'] as ('DIFF' | 'SCORR' | 'science' | 'reference')[],
    widths: [4, 8],
    epochs: 2,
    batchSize: 4,
    learningRate: 0.01,
    stampSize: 16,
    backgroundPerField: 2,
    jitterPx: 3,
    validationFraction: 0.25,
    stampsPerArtifact: 1,
    operatingFpPerMegapixel: 1,
    operatingRecall: 0.9,
    thresholdFields: 20,
    patience: 3,
    backend: 'cpu' as const,
    panels: 2,
  };
}

describe('train-unet', () => {
  it('trains with a split by field, reports progress per batch, and writes model, history, panels, checkpoints', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    const data = await writeTinyDataSet(setup.outDir, 4);
    const { ctx, recorded } = await makeContext(tinyParams(data), { seed: 5 });
    cleanup.push(ctx.outDir);
    const out = await trainUnet.run(ctx);
    expect(out).toEqual({
      model: 'model',
      history: 'history.csv',
      panels: 'panels.png',
      checkpoints: 'checkpoints',
      thresholds: 'thresholds.csv',
    });

    const config = JSON.parse(await readFile(join(ctx.outDir, 'model', 'unet.json'), 'utf8'));
    // 4 fields, validation 25%: one field validates, three train, never the same field on both sides.
    expect(config.validationFields).toHaveLength(1);
    expect(config.trainFields).toHaveLength(3);
    expect([...config.trainFields, ...config.validationFields].sort()).toEqual([
      'field-00',
      'field-01',
      'field-02',
      'field-03',
    ]);
    expect(config).toMatchObject({
      format: 'asterism-unet/1',
      widths: [4, 8],
      backend: 'cpu',
      stampSize: 16,
    });
    // The operating threshold is chosen on the whole validation field, and the table it was
    // chosen from holds the grid (plus the validation peaks) with exactly that one marked.
    expect(config.thresholdChoice.fields).toEqual(config.validationFields);
    const thresholds = await readCsv(join(ctx.outDir, 'thresholds.csv'));
    const listed = thresholds.rows.map((r) => Number(r.threshold));
    for (const t of DEFAULT_THRESHOLD_GRID) expect(listed).toContain(t);
    expect(thresholds.rows.filter((r) => r.chosen === '1').map((r) => Number(r.threshold))).toEqual([
      config.threshold,
    ]);
    // One validation field holding one supernova: TP + FN = 1 at every threshold.
    for (const r of thresholds.rows) expect(Number(r.true_positives) + Number(r.false_negatives)).toBe(1);
    // A field this small cannot demonstrate ≤ 1 false positive per megapixel (0 FP bounds the rate
    // by ≈ 3/area): the threshold is the highest one still recalling the supernova, or, if none
    // does, one with the fewest false positives.
    const area = config.thresholdChoice.megapixels;
    expect(config.thresholdChoice.falsePositivesUpperPerMegapixel).toBeGreaterThan(2.99 / area);
    const recalling = thresholds.rows.filter((r) => Number(r.recall) >= 0.9).map((r) => Number(r.threshold));
    if (recalling.length > 0) {
      expect(config.thresholdChoice.basis).toBe('recall-floor');
      expect(config.threshold).toBe(Math.max(...recalling));
    } else {
      expect(config.thresholdChoice.basis).toBe('fewest-fp');
      const fewest = Math.min(...thresholds.rows.map((r) => Number(r.false_positives)));
      expect(thresholds.rows.find((r) => r.chosen === '1')?.false_positives).toBe(String(fewest));
    }

    // 3 training fields × (2 objects + 2 background) = 12 stamps = 3 batches of 4, for 2 epochs.
    expect(recorded.progress).toEqual([
      [1, 6],
      [2, 6],
      [3, 6],
      [4, 6],
      [5, 6],
      [6, 6],
    ]);
    const history = await readCsv(join(ctx.outDir, 'history.csv'));
    expect(history.columns).toEqual(['epoch', 'train_loss', 'val_loss', 'val_bce', 'val_dice', 'seconds']);
    expect(history.rows.map((r) => r.epoch)).toEqual(['1', '2']);
    expect(history.rows.every((r) => Number(r.val_loss) > 0 && Number.isFinite(Number(r.train_loss)))).toBe(
      true,
    );
    expect(await readdir(join(ctx.outDir, 'checkpoints'))).toEqual(['epoch-001', 'epoch-002']);
    expect((await readdir(join(ctx.outDir, 'model'))).sort()).toContain('model.json');
    // Panels: the validation stamps that hold a real transient (one: the validation field's
    // supernova) × (4 channels + truth + prediction), 16 px enlarged 2×, 2 px gaps.
    const png = PNG.sync.read(await readFile(join(ctx.outDir, 'panels.png')));
    expect([png.width, png.height]).toEqual([6 * 32 + 7 * 2, 32 + 2 * 2]);
  });

  it('stops when aborted', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    const data = await writeTinyDataSet(setup.outDir, 2);
    const controller = new AbortController();
    const { ctx } = await makeContext(tinyParams(data), { signal: controller.signal });
    cleanup.push(ctx.outDir);
    controller.abort(new Error('cancelled by the user'));
    await expect(trainUnet.run(ctx)).rejects.toThrow('cancelled by the user');
  });

  it('says which image set a channel needs', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    const { science: _s, ...data } = await writeTinyDataSet(setup.outDir, 2);
    const { ctx } = await makeContext({ ...tinyParams({ ...data, science: '' }), science: undefined });
    cleanup.push(ctx.outDir);
    const error = await trainUnet.run(ctx as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepInputError);
    expect((error as Error).message).toBe(
      'channel `science` needs the `science` image set, which was not given',
    );
  });
});
