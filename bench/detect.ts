/**
 * `npm run bench:detect`: detection time per 1024×1024 image with the default U-Net
 * (16-32-64-128, 2 input channels as in the peer), on our backend, next to the PyTorch peer's
 * whole-image inference (`../shared/peers/torch_unet.py`) measured in the same run.
 *
 * "detect" is what the `detect` step times: tiled inference (256-pixel tiles, 32-pixel overlap,
 * blended), threshold at 0.5 and connected components. "one pass" is a single forward pass over
 * the whole image, like the peer. Times in ms per image: lower is better; the JSON ratio is
 * ours / peer (so < 1 is better, the target is ≤ 2).
 * Flags: --backend auto, --runs 3, --tile 256, --overlap 32.
 */
import * as tf from '@tensorflow/tfjs';
import { predictTiled } from '../steps/detect/tiling.js';
import { segmentMap } from '../steps/lib/metrics/map-candidates.js';
import { type BackendPreference, initBackend } from '../steps/lib/ml/backend.js';
import { buildUNet } from '../steps/lib/models/unet.js';
import { Random } from '../steps/lib/random.js';
import { flag, median, peakRssMb, printTable, runPeer } from './lib/ml-bench.js';

const runs = Number(flag('runs', '3'));
const tileSize = Number(flag('tile', '256'));
const overlap = Number(flag('overlap', '32'));
const backend = await initBackend(flag('backend', 'auto') as BackendPreference);
const side = 1024;
const model = buildUNet({ inputChannels: 2, seed: 1 });
const input = Float32Array.from(new Random(5).normalArray(side * side * 2));

async function time(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up: kernel selection, buffer allocation
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const detectMs = await time(async () => {
  const p = await predictTiled(tf, model, input, side, side, 2, { tileSize, overlap });
  segmentMap(p, side, side, 0.5);
});
const onePassMs = await time(async () => {
  const out = tf.tidy(() => tf.sigmoid(model.predict(tf.tensor4d(input, [1, side, side, 2])) as tf.Tensor));
  await out.data();
  out.dispose();
});
const rss = peakRssMb();

// The peer also times a few training steps first; keep them small.
const peer = runPeer('torch_unet.py', [
  '--size',
  '64',
  '--batch',
  '2',
  '--steps',
  '1',
  '--threads',
  String(backend.threads),
]);
if ('error' in peer) console.error(`peer failed: ${peer.error}`);
const peerMs = 'error' in peer ? undefined : Number(peer.infer_ms_per_1024px_image);

console.log(
  `\nU-Net detection, 1024x1024x2; ours: ${backend.name}, ${backend.threads} thread(s); torch threads: ${backend.threads}\n`,
);
printTable(
  ['measure (ms per image, lower is better)', 'ours', 'pytorch', 'ours / pytorch (target ≤ 2)'],
  [
    [
      `detect (tiles ${tileSize}, overlap ${overlap}, threshold, components)`,
      detectMs.toFixed(0),
      peerMs?.toFixed(0) ?? 'n/a',
      peerMs ? (detectMs / peerMs).toFixed(3) : 'n/a',
    ],
    [
      'one forward pass, whole image',
      onePassMs.toFixed(0),
      peerMs?.toFixed(0) ?? 'n/a',
      peerMs ? (onePassMs / peerMs).toFixed(3) : 'n/a',
    ],
    ['peak RSS (MB, ours)', rss.toFixed(0), '', ''],
  ],
);
console.log(
  JSON.stringify({
    bench: 'detect',
    unit: 'ms per 1024x1024 image (U-Net detection; lower is better; ratio = ours/peer)',
    ours: Number(detectMs.toFixed(1)),
    peer: 'pytorch',
    peerValue: peerMs ?? null,
    ratio: peerMs ? Number((detectMs / peerMs).toFixed(4)) : null,
    onePassMs: Number(onePassMs.toFixed(1)),
    backend: backend.name,
    threads: backend.threads,
  }),
);
