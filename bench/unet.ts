/**
 * `npm run bench:unet`: U-Net (16-32-64-128, 2 input channels) training step on 128×128 stamps,
 * batch 16 (BCE-with-logits, Adam 1e-3), and inference on one 1024×1024 image, on our backend
 * and with the PyTorch peer (`../shared/peers/torch_unet.py`) in the same run.
 * Flags: --steps N (default 5), --batch 16, --size 128, --backend auto.
 * Training: images/s, higher is better. Inference: ms per image, lower is better
 * (its ratio is reported as peer ms / our ms, so > 1 is better there too).
 */
import * as tf from '@tensorflow/tfjs';
import { type BackendPreference, initBackend } from '../steps/lib/ml/backend.js';
import { createSegmentationTrainer } from '../steps/lib/ml/train-step.js';
import { buildUNet } from '../steps/lib/models/unet.js';
import { flag, median, peakRssMb, printTable, runPeer } from './lib/ml-bench.js';

const steps = Number(flag('steps', '5'));
const batch = Number(flag('batch', '16'));
const size = Number(flag('size', '128'));
const backend = await initBackend(flag('backend', 'auto') as BackendPreference);

const model = buildUNet({ inputChannels: 2, seed: 1 });
const trainer = createSegmentationTrainer(model);
const x = tf.randomNormal([batch, size, size, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
const y = tf.tidy(() =>
  tf.cast(tf.greater(tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 4), 0.99), 'float32'),
) as tf.Tensor4D;
const times: number[] = [];
for (let i = 0; i <= steps; i++) {
  const t0 = performance.now();
  trainer.step(x, y);
  if (i > 0) times.push(performance.now() - t0);
}
const trainIps = batch / (median(times) / 1000);

const big = tf.randomNormal([1, 1024, 1024, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
const inferMs: number[] = [];
for (let i = 0; i <= 3; i++) {
  const t0 = performance.now();
  const out = tf.tidy(() => model.predict(big) as tf.Tensor);
  out.dataSync();
  out.dispose();
  if (i > 0) inferMs.push(performance.now() - t0);
}
const ourInfer = median(inferMs);
const rss = peakRssMb();

const peer = runPeer('torch_unet.py', [
  '--size',
  String(size),
  '--batch',
  String(batch),
  '--steps',
  String(steps),
]);
if ('error' in peer) console.error(`peer failed: ${peer.error}`);
// PyTorch picks 1 thread by default on these machines; also run it with our thread count.
const peer2 = runPeer('torch_unet.py', [
  '--size',
  String(size),
  '--batch',
  String(batch),
  '--steps',
  String(steps),
  '--threads',
  String(backend.threads),
]);
const peer2Train = 'error' in peer2 ? undefined : Number(peer2.train_images_per_second);
const peer2Infer = 'error' in peer2 ? undefined : Number(peer2.infer_ms_per_1024px_image);
const peerTrain = 'error' in peer ? undefined : Number(peer.train_images_per_second);
const peerInfer = 'error' in peer ? undefined : Number(peer.infer_ms_per_1024px_image);

console.log(
  `\nU-Net, ours: ${backend.name}, ${backend.threads} thread(s) (${backend.detail}); torch threads: ${'error' in peer ? '-' : String(peer.threads)}\n`,
);
printTable(
  [
    'measure',
    'ours',
    'pytorch (default threads)',
    'ratio (>1: ours better)',
    `pytorch (${backend.threads} thr)`,
    `ratio vs ${backend.threads}-thr torch`,
  ],
  [
    [
      `train ${size}x${size}x2, batch ${batch} (img/s, higher better)`,
      trainIps.toFixed(2),
      peerTrain?.toFixed(2) ?? 'n/a',
      peerTrain ? (trainIps / peerTrain).toFixed(3) : 'n/a',
      peer2Train?.toFixed(2) ?? 'n/a',
      peer2Train ? (trainIps / peer2Train).toFixed(3) : 'n/a',
    ],
    [
      'inference 1024x1024x2 (ms, lower better)',
      ourInfer.toFixed(0),
      peerInfer?.toFixed(0) ?? 'n/a',
      peerInfer ? (peerInfer / ourInfer).toFixed(3) : 'n/a',
      peer2Infer?.toFixed(0) ?? 'n/a',
      peer2Infer ? (peer2Infer / ourInfer).toFixed(3) : 'n/a',
    ],
    ['peak RSS (MB, ours)', rss.toFixed(0), '', '', '', ''],
  ],
);
console.log(
  JSON.stringify({
    bench: 'unet',
    unit: `images/s (U-Net training step ${size}x${size}x2, batch ${batch}; higher is better)`,
    ours: Number(trainIps.toFixed(3)),
    peer: 'pytorch',
    peerValue: peerTrain ?? null,
    ratio: peerTrain ? Number((trainIps / peerTrain).toFixed(4)) : null,
    inference: {
      unit: 'ms per 1024x1024 image (lower is better; ratio = peer/ours)',
      ours: Number(ourInfer.toFixed(1)),
      peerValue: peerInfer ?? null,
      ratio: peerInfer ? Number((peerInfer / ourInfer).toFixed(4)) : null,
    },
    peerSameThreads: { train: peer2Train ?? null, inferMs: peer2Infer ?? null },
    backend: backend.name,
    threads: backend.threads,
    peakRssMb: Number(rss.toFixed(0)),
  }),
);
