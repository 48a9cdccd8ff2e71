/**
 * recipes/astrid-real-bogus.yaml through the real CLI with its tiny `ci` profile (4 training and
 * 2 held-out fields of 128², 2 epochs; about half a minute on 2 quiet cores). The model is not
 * meant to be good at this size, so the checks are on what must hold whatever the weights:
 * every output exists and is valid, the U-Net's metrics are well-formed numbers over the right
 * counts, the validation-chosen threshold is the one `detect` used, and the S_corr > 5 baseline —
 * which needs no training — finds the bright injections and reports the cosmic rays. Then
 * recipes/eso-transfer.yaml runs that model on the real ESO pair (../shared/data/eso085-030/).
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../steps/lib/table/csv.js';
import { fitsverify } from '../../unit/steps/lib/sim/run-step.js';
import { asterism } from '../cli/asterism.js';

const recipe = fileURLToPath(new URL('../../../recipes/astrid-real-bogus.yaml', import.meta.url));
const esoRecipe = fileURLToPath(new URL('../../../recipes/eso-transfer.yaml', import.meta.url));
const sharedData = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
let dir = '';
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** The absolute output paths of a step of a recipe copied to `dir`, from `asterism show --json`. */
async function outputsOf(
  step: string,
  args: readonly string[] = ['astrid-real-bogus.yaml', '--set', 'profile=ci'],
): Promise<Record<string, string>> {
  const [file, ...rest] = args;
  const shown = await asterism(['show', file!, step, '--json', ...rest], dir);
  expect(shown.code, shown.stderr).toBe(0);
  const json = JSON.parse(shown.stdout) as { status: string; outputs: Record<string, string> };
  expect(json.status).toBe('cached');
  return json.outputs;
}

interface Subset {
  precision: number | null;
  recall: number | null;
  falsePositivesPerImage: number;
  truePositives: number;
  falseNegatives: number;
  artifacts: { n: number; byKind: Record<string, { n: number; reported: number; rejectionRate: number }> };
}

describe('recipes/astrid-real-bogus.yaml through the CLI (profile ci)', () => {
  it('trains, detects and scores the U-Net and the baseline on held-out fields', async () => {
    dir = await mkdtemp(join(tmpdir(), 'asterism-realbogus-'));
    await copyFile(recipe, join(dir, 'astrid-real-bogus.yaml'));
    const run = await asterism(['run', 'astrid-real-bogus.yaml', '--set', 'profile=ci'], dir);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/11 succeeded/);

    const unet = await outputsOf('unet');
    const config = JSON.parse(await readFile(join(unet.model!, 'unet.json'), 'utf8'));
    expect(config.trainFields.length + config.validationFields.length).toBe(4);
    expect(config.validationFields.length).toBeGreaterThan(0);
    const thresholds = parseCsv(await readFile(unet.thresholds!, 'utf8'));
    expect(thresholds.rows.filter((r) => r.chosen === '1').map((r) => Number(r.threshold))).toEqual([
      config.threshold,
    ]);

    // detect used the model's threshold (no `threshold` in the recipe), on both held-out fields.
    const detect = await outputsOf('detect');
    const report = JSON.parse(await readFile(detect.report!, 'utf8'));
    expect(report.threshold).toBe(config.threshold);
    expect(report.fields).toHaveLength(2);
    for (const folder of [detect.probability!, detect.segmentation!]) {
      const files = await readdir(folder);
      expect(files).toHaveLength(2);
      for (const f of files) expect(fitsverify(join(folder, f)).report, f).toMatch(/verification OK/);
    }

    const metrics = JSON.parse(await readFile((await outputsOf('metrics')).metrics!, 'utf8'));
    const baseline = JSON.parse(await readFile((await outputsOf('metrics-baseline')).metrics!, 'utf8'));
    const truth = parseCsv(await readFile((await outputsOf('inject-test')).truth!, 'utf8'));
    const nReal = truth.rows.filter((r) => r.real === '1').length;
    const nCosmicRays = truth.rows.filter((r) => r.kind === 'cosmic_ray').length;
    expect(nCosmicRays).toBe(4); // 2 fields × test_cosmic_rays 2

    // U-Net: whatever the weights, the counts add up over the same truth.
    const all = metrics.all as Subset;
    expect(all.truePositives + all.falseNegatives).toBe(nReal);
    expect(all.falsePositivesPerImage).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(all.falsePositivesPerImage)).toBe(true);
    for (const v of [all.precision, all.recall]) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
    expect(all.artifacts.byKind.cosmic_ray!.n).toBe(nCosmicRays);

    // Baseline: S/N ≥ 10 point sources are easy for S_corr > 5, and bright cosmic rays fool it.
    const bright = baseline.bright as Subset;
    expect(bright.recall).toBeGreaterThanOrEqual(0.8);
    expect(baseline.all.artifacts.byKind.cosmic_ray.rejectionRate).toBeLessThanOrEqual(0.5);
    // About half a minute on 2 quiet cores; the limit leaves room for a loaded machine.
  }, 300_000);

  // Uses the model the test above trained (tests in a file run in order).
  it('runs recipes/eso-transfer.yaml on the real ESO pair with that model', async () => {
    expect(dir).not.toBe('');
    const model = (await outputsOf('unet')).model!;
    // The copy reads the shared data by absolute path (the recipe's are relative to recipes/).
    const text = (await readFile(esoRecipe, 'utf8')).replaceAll('../../shared/data/', sharedData);
    expect(text).toContain(join(sharedData, 'eso085-030'));
    await writeFile(join(dir, 'eso-transfer.yaml'), text);
    const args = ['eso-transfer.yaml', '--set', `model=${model}`];
    const run = await asterism(['run', ...args], dir);
    expect(run.code, run.stderr + run.stdout).toBe(0);

    const truth = parseCsv(await readFile((await outputsOf('inject', args)).truth!, 'utf8'));
    expect(truth.rows).toHaveLength(30);
    expect(truth.rows.every((r) => Number(r.snr) >= 10 && Number(r.snr) <= 30)).toBe(true);
    const detect = await outputsOf('detect', args);
    const [probability] = await readdir(detect.probability!);
    expect(fitsverify(join(detect.probability!, probability!)).report).toMatch(/verification OK/);
    const metrics = JSON.parse(await readFile((await outputsOf('metrics', args)).metrics!, 'utf8'));
    expect(metrics.detector.imageShape).toEqual([1024, 682]);
    expect(metrics.all.truePositives + metrics.all.falseNegatives).toBe(30);
    // S_corr > 5 on real noise: S/N ≥ 10 point sources are found.
    const baseline = JSON.parse(await readFile((await outputsOf('metrics-baseline', args)).metrics!, 'utf8'));
    expect(baseline.bright.recall).toBeGreaterThanOrEqual(0.8);
  }, 300_000);
});
