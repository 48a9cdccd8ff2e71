/**
 * GPU discovery reads `nvidia-smi -L`. No GPU (nor nvidia-smi) exists on the test machines, so
 * the command is a script on a temporary PATH that prints what the real one prints.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countGpus } from '../../../../engine/run/gpus.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asterism-gpus-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeNvidiaSmi(folder: string, script: string): Promise<void> {
  const file = join(folder, 'nvidia-smi');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
}

describe('countGpus', () => {
  it('counts the GPU lines of `nvidia-smi -L`', async () => {
    await fakeNvidiaSmi(
      dir,
      'echo "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1)"\necho "  MIG 1g.10gb Device 0: (UUID: MIG-1)"\necho "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-2)"',
    );
    expect(countGpus(['/nonexistent', dir].join(delimiter))).toBe(2);
  });

  it('is 0 when nvidia-smi is not on PATH, is not executable, or fails', async () => {
    expect(countGpus(['/nonexistent', ''].join(delimiter))).toBe(0);
    await writeFile(join(dir, 'nvidia-smi'), '#!/bin/sh\necho "GPU 0: x"\n'); // not executable
    expect(countGpus(dir)).toBe(0);
    await fakeNvidiaSmi(dir, 'echo "NVIDIA-SMI has failed" >&2\nexit 9');
    expect(countGpus(dir)).toBe(0);
  });
});
