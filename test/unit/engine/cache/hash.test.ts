import { execFileSync } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../engine/cache/canonical-json.js';
import { HashMemo, hashPath } from '../../../../engine/cache/index.js';
import { tempDir } from '../run/fixtures/graph.js';

/** The independent reference: coreutils' sha256sum. */
function sha256sum(file: string): string {
  return `sha256:${execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]}`;
}

describe('hashPath', () => {
  it('hashes a file as sha256sum does', async () => {
    const dir = await tempDir();
    const file = join(dir, 'a.bin');
    await writeFile(file, Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256)));
    expect((await hashPath(file)).hash).toBe(sha256sum(file));
  });

  it('hashes a folder by names and contents, not by location or mtimes', async () => {
    const make = async (text: string) => {
      const dir = await tempDir();
      await mkdir(join(dir, 'sub'));
      await writeFile(join(dir, 'x.txt'), 'x');
      await writeFile(join(dir, 'sub', 'y.txt'), text);
      return dir;
    };
    const one = await make('y');
    const two = await make('y');
    await utimes(join(two, 'x.txt'), 1, 1);
    expect((await hashPath(one)).hash).toBe((await hashPath(two)).hash);
    expect((await hashPath(one)).hash).not.toBe((await hashPath(await make('z'))).hash);
  });

  it('remembers hashes by (path, size, mtime, inode): an unchanged file is not reread', async () => {
    const dir = await tempDir();
    const file = join(dir, 'data.txt');
    await writeFile(file, 'aaaa');
    // Whole seconds, so restoring the mtime below is exact.
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const memo = new HashMemo(join(dir, 'memo.json'));
    const first = (await hashPath(file, memo)).hash;
    await memo.save();
    // Same size, same mtime, different bytes: only a reread could notice, so the memo proves
    // nothing was reread. Then a changed mtime forces a rehash.
    await writeFile(file, 'bbbb');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const reloaded = await new HashMemo(join(dir, 'memo.json')).load();
    expect((await hashPath(file, reloaded)).hash).toBe(first);
    await utimes(file, 1_700_000_005, 1_700_000_005);
    expect((await hashPath(file, reloaded)).hash).toBe(sha256sum(file));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and rejects non-finite numbers', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });
});
