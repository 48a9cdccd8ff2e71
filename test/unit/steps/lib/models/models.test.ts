/**
 * The GAN and U-Net match the PyTorch peers' architectures: output shapes, and parameter counts
 * per layer equal to PyTorch's own count of the peer network (torch via /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiscriminator, buildGenerator } from '../../../../../steps/lib/models/gan.js';
import { buildUNet } from '../../../../../steps/lib/models/unet.js';

const peers = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/peers');

/** Parameter counts of the peer networks, computed by PyTorch from the peer scripts' classes. */
function torchCounts(): Record<string, number> {
  const script = `
import json, sys
out = {}
for size in (128, 64):
    sys.argv = ['x', '--size', str(size)]
    src = open('${peers}/torch_gan.py').read().split('g, d = G(), D()')[0]
    ns = {}
    exec(src, ns)
    out[f'g{size}'] = sum(p.numel() for p in ns['G']().parameters())
    out[f'd{size}'] = sum(p.numel() for p in ns['D']().parameters())
sys.argv = ['x']
ns = {}
exec(open('${peers}/torch_unet.py').read().split('opt =')[0], ns)
out['unet'] = sum(p.numel() for p in ns['net'].parameters())
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

let counts: Record<string, number>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  counts = torchCounts();
});

describe('paper GAN', () => {
  for (const size of [128, 64]) {
    it(`at ${size}x${size} has the peer's shapes and parameter counts`, () => {
      const g = buildGenerator({ size });
      const d = buildDiscriminator({ size });
      expect(g.outputs[0]?.shape).toEqual([null, size, size, 1]);
      expect(d.inputs[0]?.shape).toEqual([null, size, size, 1]);
      expect(d.outputs[0]?.shape).toEqual([null, 1]);
      expect(g.countParams()).toBe(counts[`g${size}`]);
      expect(d.countParams()).toBe(counts[`d${size}`]);
    });
  }

  it('generates images in [-1, 1] and rejects sizes that are not multiples of 8', () => {
    const g = buildGenerator({ size: 24, seed: 1 });
    const images = tf.tidy(() => g.predict(tf.randomNormal([2, 100], 0, 3, 'float32', 2)) as tf.Tensor);
    expect(images.max().dataSync()[0]).toBeLessThanOrEqual(1);
    expect(images.min().dataSync()[0]).toBeGreaterThanOrEqual(-1);
    expect(() => buildGenerator({ size: 100 })).toThrow(
      'GAN image size must be a multiple of 8 and at least 24, got 100',
    );
  });
});

describe('U-Net', () => {
  it("has the peer's parameter count and maps [b, h, w, 2] to one logit per pixel", () => {
    const net = buildUNet();
    expect(net.countParams()).toBe(counts.unet);
    const out = tf.tidy(() => net.predict(tf.zeros([1, 32, 48, 2])) as tf.Tensor);
    expect(out.shape).toEqual([1, 32, 48, 1]);
  });

  it('takes configurable levels and input channels', () => {
    const net = buildUNet({ inputChannels: 1, widths: [8, 16] });
    expect(net.inputs[0]?.shape).toEqual([null, null, null, 1]);
    expect(() => buildUNet({ widths: [8, 0] })).toThrow('U-Net widths must be positive integers, got [8, 0]');
  });
});
