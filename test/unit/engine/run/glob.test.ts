import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchGlob } from '../../../../engine/run/glob.js';
import { tempDir } from './fixtures/graph.js';

describe('matchGlob', () => {
  it('matches *, ?, [..], {a,b} and ** like a shell with globstar', async () => {
    const dir = await tempDir();
    for (const file of [
      'ref/a1.fits',
      'ref/a2.fits',
      'ref/b1.fits',
      'ref/.hidden.fits',
      'ref/deep/x/c3.fits',
      'sci/a1.fits',
      'notes.txt',
    ]) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), '');
    }
    expect(matchGlob(dir, 'ref/*.fits')).toEqual(['ref/a1.fits', 'ref/a2.fits', 'ref/b1.fits']);
    expect(matchGlob(dir, 'ref/a?.fits')).toEqual(['ref/a1.fits', 'ref/a2.fits']);
    expect(matchGlob(dir, 'ref/[ab]1.fits')).toEqual(['ref/a1.fits', 'ref/b1.fits']);
    expect(matchGlob(dir, '{ref,sci}/a1.fits')).toEqual(['ref/a1.fits', 'sci/a1.fits']);
    expect(matchGlob(dir, 'ref/**/*.fits')).toEqual([
      'ref/a1.fits',
      'ref/a2.fits',
      'ref/b1.fits',
      'ref/deep/x/c3.fits',
    ]);
    expect(matchGlob(dir, 'nothing/*.fits')).toEqual([]);
  });
});
