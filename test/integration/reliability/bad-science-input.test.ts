/**
 * Bad science input through the real CLI and the real built-in steps: a truncated FITS file, a
 * NaN-only image, a zero-size image (no data unit), epochs of different shapes (`difference`),
 * and corrupt model files (`detect`). Each fails its step with a message naming the file; none
 * hangs (each run is bounded by the test timeout), and none leaves a cache entry behind.
 */
import { mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../../steps/lib/fits/index.js';
import type { Image } from '../../../steps/lib/image/types.js';
import { asterism, type Result } from '../cli/asterism.js';
import { failureBlock, listEntries } from './helpers.js';

/** A flat sky with uniform noise (deterministic LCG): enough to read, not to subtract. */
function sky(width: number, height: number): Image {
  let state = 12345;
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = 100 + 10 * (state / 2147483648 - 0.5);
  }
  return { width, height, data };
}

const nanImage = (width: number, height: number): Image => ({
  width,
  height,
  data: new Float64Array(width * height).fill(Number.NaN),
});

/** A pair of one-field image sets `<case>/ref/f1.fits`, `<case>/sci/f1.fits`. */
function pair(dir: string, name: string, ref: Image | undefined, sci: Image | undefined): void {
  for (const [epoch, image] of [
    ['ref', ref],
    ['sci', sci],
  ] as const) {
    mkdirSync(join(dir, name, epoch), { recursive: true });
    writeFits(join(dir, name, epoch, 'f1.fits'), [image === undefined ? {} : { data: image, bitpix: -32 }]);
  }
}

function differenceStep(name: string): string {
  return `  ${name}:
    uses: difference
    with: { reference: "\${{ inputs.${name}_ref }}", science: "\${{ inputs.${name}_sci }}" }
`;
}

let dir = '';
let run: Result;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asterism-bad-input-'));
  pair(dir, 'truncated', sky(64, 64), sky(64, 64));
  const cut = join(dir, 'truncated', 'sci', 'f1.fits');
  truncateSync(cut, statSync(cut).size - 2880 - 100);
  pair(dir, 'nan', nanImage(64, 64), nanImage(64, 64));
  pair(dir, 'zero', undefined, sky(64, 64));
  pair(dir, 'shapes', sky(64, 64), sky(48, 64));

  // Model folders: a valid unet.json beside a model.json that is cut mid-way, and beside a
  // model.json whose weight shard is shorter than its manifest says.
  const unet = {
    format: 'asterism-unet/1',
    channels: ['DIFF'],
    widths: [4, 8],
    scaling: 'median-mad-asinh',
    stampSize: 32,
    trainFields: [],
    validationFields: [],
    bestEpoch: 1,
    positiveWeight: 1,
    backend: 'cpu',
  };
  for (const name of ['model-json', 'model-shard']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'unet.json'), JSON.stringify(unet));
  }
  writeFileSync(join(dir, 'model-json', 'model.json'), '{"modelTopology": {"class_name": "Mod');
  writeFileSync(
    join(dir, 'model-shard', 'model.json'),
    JSON.stringify({
      modelTopology: { class_name: 'Model', config: {} },
      format: 'layers-model',
      weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [10], dtype: 'float32' }] }],
    }),
  );
  writeFileSync(join(dir, 'model-shard', 'weights.bin'), Buffer.alloc(8));
  mkdirSync(join(dir, 'diffs'));
  writeFits(join(dir, 'diffs', 'f1.fits'), [{ data: sky(32, 32), bitpix: -32, extname: 'DIFF' }]);

  const cases = ['truncated', 'nan', 'zero', 'shapes'];
  const inputs = cases.flatMap((c) => [`  ${c}_ref: ${c}/ref`, `  ${c}_sci: ${c}/sci`]);
  inputs.push('  model_json: model-json', '  model_shard: model-shard', '  diffs: diffs');
  const detectStep = (name: string, input: string) => `  ${name}:
    uses: detect
    with: { model: "\${{ inputs.${input} }}", difference: "\${{ inputs.diffs }}" }
`;
  writeFileSync(
    join(dir, 'recipe.yaml'),
    `recipe: bad-input\nversion: 1\ninputs:\n${inputs.join('\n')}\nsteps:\n${cases.map(differenceStep).join('')}${detectStep('corrupt_json', 'model_json')}${detectStep('short_shard', 'model_shard')}`,
  );
  run = await asterism(['run', 'recipe.yaml', '--keep-going', '--log-format', 'plain'], dir);
}, 120_000);

/** The failure detail of `step` (message and hint, before the log line). */
function failureOf(step: string): string {
  return failureBlock(run.stderr, step);
}

describe('bad science input (real CLI, built-in steps)', () => {
  it('every step fails; nothing enters the cache', async () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/bad-input: failed in \S+ — 6 failed\n/);
    expect(await listEntries(join(dir, '.asterism'))).toEqual([]);
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
  });

  it('a truncated FITS file: names the file, the HDU and the missing bytes', () => {
    expect(failureOf('truncated')).toMatch(
      new RegExp(
        `\\n {4}field \`f1\`: ${dir}/truncated/sci/f1\\.fits, HDU 0: the file is truncated: the data unit needs 16384 bytes from offset 2880 but the file ends at 17180\\.`,
      ),
    );
  });

  it('a zero-size image (no data unit): names the file', () => {
    expect(failureOf('zero')).toMatch(
      new RegExp(`\\n {4}field \`f1\`: ${dir}/zero/ref/f1\\.fits: no HDU holds an image\\.`),
    );
  });

  it('epochs of different shapes: names the file and both shapes', () => {
    expect(failureOf('shapes')).toMatch(
      new RegExp(
        `\\n {4}${dir}/shapes/sci/f1\\.fits: field \`f1\`: the science image is 48x64 but the reference is 64x64; resample one onto the other first`,
      ),
    );
  });

  it('a NaN-only image: names the file and says it is all NaN', () => {
    expect(failureOf('nan')).toMatch(/all NaN/);
    expect(failureOf('nan')).toMatch(new RegExp(`${dir}/nan/(ref|sci)/f1\\.fits`));
  });

  it('a model.json cut mid-way: names the model file and says it is corrupt', () => {
    expect(failureOf('corrupt_json')).toMatch(
      new RegExp(
        `\\n {4}model file ${dir}/model-json/model\\.json is not valid JSON \\(.*\\); the file is corrupt`,
      ),
    );
  });

  it('a weight shard shorter than its manifest: names the model file and the byte counts', () => {
    expect(failureOf('short_shard')).toMatch(
      new RegExp(
        `\\n {4}weight shards of ${dir}/model-shard/model\\.json hold 8 bytes but its manifest describes 40; a shard is truncated or corrupt`,
      ),
    );
  });
});
