/**
 * `npm run bench:gan`: one training iteration of the paper's GAN (generator step, then
 * discriminator step on the same z; Adam 5e-4; BCE), batch 32, at 128×128 and 64×64, on our
 * backend and with the PyTorch peer (`../shared/peers/torch_gan.py`) in the same run.
 * Flags: --steps N (timed iterations, default 5), --sizes 128,64, --batch 32, --backend auto.
 * Higher images/s is better; ratio = ours / PyTorch.
 */
import * as tf from '@tensorflow/tfjs';
import { type BackendPreference, initBackend } from '../steps/lib/ml/backend.js';
import { buildDiscriminator, buildGenerator, LATENT_DIM } from '../steps/lib/models/gan.js';
import { createPaperGanTrainer } from '../steps/lib/models/gan-trainer.js';
import { flag, median, peakRssMb, printTable, runPeer } from './lib/ml-bench.js';

const steps = Number(flag('steps', '5'));
const batch = Number(flag('batch', '32'));
const sizes = flag('sizes', '128,64').split(',').map(Number);
const backend = await initBackend(flag('backend', 'auto') as BackendPreference);

interface Row {
  size: number;
  ours: number;
  peer: number | undefined;
  peerThreads: unknown;
  peerSameThreads: number | undefined;
  rssMb: number;
}
const rows: Row[] = [];
for (const size of sizes) {
  const g = buildGenerator({ size, seed: 1 });
  const d = buildDiscriminator({ size, seed: 1 });
  // Like the PyTorch peer (torch_gan.py), the discriminator step reuses G's images.
  const trainer = createPaperGanTrainer(g, d, { regenerateFakes: false });
  const real = tf.randomUniform([batch, size, size, 1], -1, 1, 'float32', 7) as tf.Tensor4D;
  const times: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const z = tf.randomNormal([batch, LATENT_DIM], 0, 1, 'float32', 100 + i) as tf.Tensor2D;
    const t0 = performance.now();
    trainer.step(z, real);
    if (i > 0) times.push(performance.now() - t0); // the first iteration warms up
    z.dispose();
  }
  const ours = batch / (median(times) / 1000);
  const rssMb = peakRssMb();
  trainer.dispose();
  real.dispose();
  g.dispose();
  d.dispose();
  const peer = runPeer('torch_gan.py', [
    '--size',
    String(size),
    '--batch',
    String(batch),
    '--steps',
    String(steps),
  ]);
  const peerValue = 'error' in peer ? undefined : Number(peer.images_per_second);
  if ('error' in peer) console.error(`peer failed: ${peer.error}`);
  // PyTorch picks 1 thread by default on these machines; also run it with our thread count.
  const peer2 = runPeer('torch_gan.py', [
    '--size',
    String(size),
    '--batch',
    String(batch),
    '--steps',
    String(steps),
    '--threads',
    String(backend.threads),
  ]);
  rows.push({
    size,
    ours,
    peer: peerValue,
    peerThreads: 'error' in peer ? '-' : peer.threads,
    peerSameThreads: 'error' in peer2 ? undefined : Number(peer2.images_per_second),
    rssMb,
  });
}

console.log(`\nGAN training step, batch ${batch}, median of ${steps} steps — images/s, higher is better`);
console.log(`ours: ${backend.name}, ${backend.threads} thread(s) (${backend.detail})\n`);
printTable(
  [
    'size',
    'ours img/s',
    'pytorch img/s (default)',
    'torch threads',
    'ratio ours/torch',
    `pytorch img/s (${backend.threads} thr)`,
    `ratio vs ${backend.threads}-thr torch`,
    'peak RSS MB (ours)',
  ],
  rows.map((r) => [
    `${r.size}x${r.size}`,
    r.ours.toFixed(2),
    r.peer?.toFixed(2) ?? 'n/a',
    String(r.peerThreads),
    r.peer ? (r.ours / r.peer).toFixed(3) : 'n/a',
    r.peerSameThreads?.toFixed(2) ?? 'n/a',
    r.peerSameThreads ? (r.ours / r.peerSameThreads).toFixed(3) : 'n/a',
    r.rssMb.toFixed(0),
  ]),
);
const main = rows[0] as Row;
console.log(
  JSON.stringify({
    bench: 'gan',
    unit: `images/s (GAN step ${main.size}x${main.size}, batch ${batch}; higher is better)`,
    ours: Number(main.ours.toFixed(3)),
    peer: 'pytorch',
    peerValue: main.peer ?? null,
    ratio: main.peer ? Number((main.ours / main.peer).toFixed(4)) : null,
    backend: backend.name,
    threads: backend.threads,
    sizes: rows.map((r) => ({
      size: r.size,
      ours: Number(r.ours.toFixed(3)),
      peer: r.peer ?? null,
      peerSameThreads: r.peerSameThreads ?? null,
    })),
    peakRssMb: Number(peakRssMb().toFixed(0)),
  }),
);
