/**
 * sample-latents throughput: the paper's generator (128×128 by default) turning latent vectors into
 * images, ours (tfjs on the best CPU backend, as the step runs it) against PyTorch's forward pass
 * of the same network on the same batch size, in this same run.
 *
 *   npm run bench:sample-latents [-- --size 128 --count 512 --batch 64 --threads 2]
 *
 * Both sides generate `count` images in batches of `batch` after one warm-up batch; PyTorch runs
 * with `threads` threads (default: the machine's cores), under torch.no_grad(). Images/s: higher
 * is better; the JSON line's ratio is ours / PyTorch (above 1 we are faster). The paper's 10,000
 * latents take 10,000 / (images/s) seconds.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { initBackend } from '../steps/lib/ml/backend.js';
import { buildGenerator, LATENT_DIM } from '../steps/lib/models/gan.js';
import { Random } from '../steps/lib/random.js';
import { generateImages } from '../steps/lib/solar/generate.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128' },
    count: { type: 'string', default: '512' },
    batch: { type: 'string', default: '64' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
  },
});
const size = Number(values.size);
const count = Number(values.count);
const batch = Number(values.batch);
const threads = Number(values.threads);

async function main(): Promise<void> {
  const backend = await initBackend('auto', { threads, log: () => {} });
  const g = buildGenerator({ size, seed: 1 });
  const z = new Random(1).normalArray(count * LATENT_DIM);
  generateImages(g, z.subarray(0, batch * LATENT_DIM), batch, LATENT_DIM, { batchSize: batch });
  const start = performance.now();
  generateImages(g, z, count, LATENT_DIM, { batchSize: batch });
  const ours = count / ((performance.now() - start) / 1000);

  const script = `
import json, time, torch, torch.nn as nn, torch.nn.functional as F
size, count, batch, threads = ${size}, ${count}, ${batch}, ${threads}
torch.set_num_threads(threads); torch.manual_seed(0)
s0 = (size - 8) // 8
class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(100, 64 * s0 * s0)
        self.d1 = nn.ConvTranspose2d(64, 64, 3, 2); self.d2 = nn.ConvTranspose2d(64, 32, 3, 2); self.d3 = nn.ConvTranspose2d(32, 1, 3, 2)
    def forward(self, z):
        x = F.leaky_relu(self.fc(z), 0.2).view(-1, 64, s0, s0)
        x = F.leaky_relu(self.d1(x), 0.2); x = F.leaky_relu(self.d2(x), 0.2)
        x = torch.tanh(self.d3(F.pad(x, (0, 1, 0, 1))))
        return x[:, :, :size, :size]
g = G().eval()
with torch.no_grad():
    g(torch.randn(batch, 100))
    t = time.perf_counter()
    for i in range(0, count, batch):
        g(torch.randn(min(batch, count - i), 100))
    dt = time.perf_counter() - t
print(json.dumps({'ips': count / dt, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))
`;
  const peer = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })) as {
    ips: number;
    torch: string;
    threads: number;
  };
  console.log(
    `Generator forward pass, ${size}×${size}, ${count} latents in batches of ${batch} (images/s: higher is better)`,
  );
  console.table([
    {
      implementation: `asterism tfjs (${backend.name}, ${backend.threads} threads)`,
      imagesPerSecond: Number(ours.toFixed(1)),
    },
    {
      implementation: `PyTorch ${peer.torch} (${peer.threads} threads)`,
      imagesPerSecond: Number(peer.ips.toFixed(1)),
    },
  ]);
  console.log(
    JSON.stringify({
      bench: 'sample-latents',
      unit: 'images/s',
      ours: Number(ours.toFixed(2)),
      peer: `PyTorch ${peer.torch} generator forward`,
      peerValue: Number(peer.ips.toFixed(2)),
      ratio: Number((ours / peer.ips).toFixed(4)),
    }),
  );
}

await main();
