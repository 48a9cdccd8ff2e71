import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../../steps/lib/random.js';
import { autoPositiveWeight, segmentationLoss } from '../../../../steps/train-unet/loss.js';
import { splitFields } from '../../../../steps/train-unet/split.js';

const run = promisify(execFile);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('segmentationLoss', () => {
  it('equals PyTorch BCEWithLogitsLoss(pos_weight) + soft Dice on random logits', async () => {
    const rng = new Random(3);
    const n = 2 * 8 * 8;
    const logits = Array.from({ length: n }, () => 4 * rng.normal());
    const labels = Array.from({ length: n }, () => (rng.uniform() < 0.1 ? 1 : 0));
    const w = 7.5;
    const ours = tf.tidy(() => {
      const l = segmentationLoss(tf.tensor4d(labels, [2, 8, 8, 1]), tf.tensor4d(logits, [2, 8, 8, 1]), w);
      return [l.total.dataSync()[0]!, l.bce.dataSync()[0]!, l.dice.dataSync()[0]!];
    });
    const dir = await mkdtemp(join(tmpdir(), 'asterism-loss-'));
    try {
      await writeFile(join(dir, 'in.json'), JSON.stringify({ logits, labels, w }));
      const script = `
import json, sys, torch
d = json.load(open(sys.argv[1]))
z = torch.tensor(d['logits'], dtype=torch.float64); y = torch.tensor(d['labels'], dtype=torch.float64)
bce = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(d['w'], dtype=torch.float64))(z, y)
p = torch.sigmoid(z)
dice = 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)
json.dump([float(bce + dice), float(bce), float(dice)], open(sys.argv[2], 'w'))
`;
      await run('/usr/bin/python3', ['-c', script, join(dir, 'in.json'), join(dir, 'out.json')]);
      const ref = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as number[];
      // tfjs computes in float32 (relative rounding ~6e-8 per op over 128 terms): 1e-5 relative.
      ours.forEach((v, i) => {
        expect(Math.abs(v - ref[i]!) / Math.abs(ref[i]!)).toBeLessThan(1e-5);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('weights artifact pixels (target 2) like PyTorch BCEWithLogitsLoss(weight, pos_weight)', async () => {
    const rng = new Random(4);
    const n = 2 * 8 * 8;
    const logits = Array.from({ length: n }, () => 4 * rng.normal());
    // Classes 0 background, 1 real, 2 artifact; Dice counts only class 1.
    const targets = Array.from({ length: n }, () => {
      const u = rng.uniform();
      return u < 0.1 ? 1 : u < 0.25 ? 2 : 0;
    });
    const w = 6;
    const wa = 9;
    const ours = tf.tidy(() => {
      const l = segmentationLoss(
        tf.tensor4d(targets, [2, 8, 8, 1]),
        tf.tensor4d(logits, [2, 8, 8, 1]),
        w,
        wa,
      );
      return [l.total.dataSync()[0]!, l.bce.dataSync()[0]!, l.dice.dataSync()[0]!];
    });
    const dir = await mkdtemp(join(tmpdir(), 'asterism-loss-'));
    try {
      await writeFile(join(dir, 'in.json'), JSON.stringify({ logits, targets, w, wa }));
      // weight multiplies both BCE terms per element: wa on artifact pixels (never positive), 1 elsewhere.
      const script = `
import json, sys, torch
d = json.load(open(sys.argv[1]))
z = torch.tensor(d['logits'], dtype=torch.float64); t = torch.tensor(d['targets'], dtype=torch.float64)
y = (t == 1).double(); weight = torch.where(t == 2, torch.tensor(d['wa'], dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))
bce = torch.nn.BCEWithLogitsLoss(weight=weight, pos_weight=torch.tensor(d['w'], dtype=torch.float64))(z, y)
p = torch.sigmoid(z)
dice = 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)
json.dump([float(bce + dice), float(bce), float(dice)], open(sys.argv[2], 'w'))
`;
      await run('/usr/bin/python3', ['-c', script, join(dir, 'in.json'), join(dir, 'out.json')]);
      const ref = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as number[];
      // float32 in tfjs, as above: 1e-5 relative.
      ours.forEach((v, i) => {
        expect(Math.abs(v - ref[i]!) / Math.abs(ref[i]!)).toBeLessThan(1e-5);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('weights positives by √(background / positive), clipped to [1, 100]', () => {
    expect(autoPositiveWeight(10, 1010)).toBe(10);
    expect(autoPositiveWeight(0, 100)).toBe(1);
    expect(autoPositiveWeight(1, 1e6)).toBe(100);
    expect(autoPositiveWeight(60, 100)).toBe(1);
  });
});

describe('splitFields', () => {
  it('puts each field on one side only, deterministically by seed', () => {
    const fields = Array.from({ length: 10 }, (_, i) => `field-${i}`);
    const split = splitFields([...fields, ...fields], 0.2, 42);
    expect(split.validation.length).toBe(2);
    expect(split.train.length).toBe(8);
    expect([...split.train, ...split.validation].sort()).toEqual(fields);
    expect(splitFields(fields, 0.2, 42)).toEqual(split);
    expect(splitFields(['only'], 0.2, 1)).toEqual({ train: ['only'], validation: [] });
    expect(splitFields(['a', 'b'], 0.9, 1).train.length).toBe(1);
  });
});
