/**
 * The README's first command, through the real CLI: `asterism run recipes/quickstart.yaml` in a
 * fresh folder. Every FITS file it writes must pass fitsverify; the previews must be PNGs; the
 * injected supernovae must be found; a second run must find every step cached.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readProvenance } from '../../../engine/cache/provenance.js';
import { parseCsv } from '../../../steps/lib/table/csv.js';
import { fitsverify } from '../../unit/steps/lib/sim/run-step.js';
import { asterism } from '../cli/asterism.js';

const recipe = fileURLToPath(new URL('../../../recipes/quickstart.yaml', import.meta.url));
let dir = '';
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

describe('recipes/quickstart.yaml through the CLI', () => {
  it('simulates, injects, differences and previews; everything it writes is valid', async () => {
    dir = await mkdtemp(join(tmpdir(), 'asterism-quickstart-'));
    await copyFile(recipe, join(dir, 'quickstart.yaml'));
    const first = await asterism(['run', 'quickstart.yaml'], dir);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const files = await walk(join(dir, '.asterism'));
    const fits = files.filter((f) => f.endsWith('.fits'));
    expect(fits.length).toBeGreaterThanOrEqual(12); // 3 fields × (reference, science, injected, mask, difference)
    for (const f of fits) expect(fitsverify(f).report, f).toMatch(/verification OK/);
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBe(3);
    for (const f of pngs) {
      const png = PNG.sync.read(await readFile(f));
      expect(png.width).toBeGreaterThan(300);
    }
    // Injected supernovae at S/N ≥ 10 are detected within 1.5 px.
    const truth = parseCsv(await readFile(files.find((f) => f.endsWith('truth.csv'))!, 'utf8'));
    const detections = parseCsv(await readFile(files.find((f) => f.endsWith('detections.csv'))!, 'utf8'));
    const bright = truth.rows.filter((t) => t.kind === 'supernova' && Number(t.snr) >= 10);
    expect(bright.length).toBeGreaterThan(0);
    for (const t of bright) {
      const found = detections.rows.some(
        (d) => d.field === t.field && Math.hypot(Number(d.x) - Number(t.x), Number(d.y) - Number(t.y)) < 1.5,
      );
      expect(found, `supernova at ${t.field} (${t.x}, ${t.y}) S/N ${t.snr}`).toBe(true);
    }
    // The first run's provenance names the FFT the difference step ran on.
    // (runs/<recipe>/<time>-<pid>.json; its steps are in runs/<recipe>/steps/)
    const record = files.find((f) => /[/]runs[/][^/]+[/][^/]+[.]json$/.test(f));
    const diff = (await readProvenance(record!))!.steps.find((s) => s.uses === 'difference');
    expect(diff?.backend).toMatch(/^FFT: (native|typescript)/);
    const second = await asterism(['run', 'quickstart.yaml'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout + second.stderr).toMatch(/4 cached/);
  });
});
