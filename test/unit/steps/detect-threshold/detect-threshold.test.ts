import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { StepInputError } from '../../../../engine/index.js';
import { detectThreshold } from '../../../../steps/detect-threshold/index.js';
import { readCsv } from '../../../../steps/lib/table/csv.js';
import { addBump, folder, makeContext, writeDifference } from '../detect/helpers.js';

const run = promisify(execFile);
const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('detect-threshold', () => {
  it('reports S_corr islands above 5 at their peaks, with label maps astropy reads back', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    const diffDir = await folder(setup.outDir, 'difference');
    // Field a: bumps of S_corr 9 at (8, 6) and 4 at (20, 15) (below threshold). Field b: nothing.
    const w = 32;
    const a = new Float64Array(w * 24);
    addBump(a, w, 8, 6, 9);
    addBump(a, w, 20, 15, 4);
    writeDifference(join(diffDir, 'a.fits'), w, a, a);
    writeDifference(join(diffDir, 'b.fits'), w, new Float64Array(w * 24), new Float64Array(w * 24));

    const { ctx, recorded } = await makeContext({
      difference: diffDir,
      threshold: 5,
      minArea: 1,
      extname: 'SCORR',
    });
    cleanup.push(ctx.outDir);
    const out = await detectThreshold.run(ctx);
    expect(out).toEqual({
      candidates: 'candidates.csv',
      segmentation: 'segmentation',
      report: 'detection.json',
    });
    const table = await readCsv(join(ctx.outDir, out.candidates));
    // Island above 5: the pixels where 9·exp(−r²/(2·1.2²)) > 5, i.e. r² < 2·1.44·ln(9/5) = 1.693:
    // the centre and its 4 edge neighbours (r² = 1); diagonals have r² = 2. So area 5.
    expect(table.rows).toEqual([{ field: 'a', x: '8', y: '6', score: '9', area: '5', label: '1' }]);
    const report = JSON.parse(await readFile(join(ctx.outDir, out.report), 'utf8'));
    expect(report).toMatchObject({
      detector: 'scorr-threshold',
      threshold: 5,
      backend: 'js',
      fields: ['a', 'b'],
    });
    expect(report.imageShape).toEqual([32, 24]);
    expect(recorded.progress).toEqual([
      [1, 2],
      [2, 2],
    ]);

    const script = `
import sys, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as h:
    lab = h['SEGMENT'].data
    print(lab.dtype.kind, lab.shape, int(lab.max()), [(int(a), int(b)) for a, b in zip(*np.nonzero(lab))], h['SEGMENT'].header['ASTSTEP'])
`;
    const { stdout } = await run('/usr/bin/python3', [
      '-c',
      script,
      join(ctx.outDir, 'segmentation', 'a.fits'),
    ]);
    expect(stdout.trim()).toBe(
      // numpy (row, column) = (y, x): the centre (6, 8) and its four edge neighbours.
      'i (24, 32) 1 [(5, 8), (6, 7), (6, 8), (6, 9), (7, 8)] test',
    );
  });

  it('names the folder when the difference set is empty', async () => {
    const { ctx } = await makeContext({
      difference: '/nonexistent/diff',
      threshold: 5,
      minArea: 1,
      extname: 'SCORR',
    });
    cleanup.push(ctx.outDir);
    const error = await detectThreshold.run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepInputError);
    expect((error as Error).message).toBe('/nonexistent/diff: no such file or folder');
  });
});
