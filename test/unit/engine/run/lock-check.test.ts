/**
 * The lock file after all-cached runs: skipping its formatting (lock-check.ts) must never leave
 * a lock that differs from the one a full format would write.
 */
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDigest, lockIsCurrent, rememberLock } from '../../../../engine/cache/lock-check.js';
import { formatLockSteps } from '../../../../engine/cache/lock-file.js';
import { runRecipe } from '../../../../engine/run/index.js';
import type { RunReport } from '../../../../engine/run/types.js';
import { writeText } from './fixtures/fake-steps.js';
import { makeGraph, sink, tempDir } from './fixtures/graph.js';

function graphOf(dir: string, texts: readonly string[]): ReturnType<typeof makeGraph> {
  return makeGraph(
    dir,
    texts.map((text, i) => ({ id: `w[i=${i}]`, definition: writeText, with: { text } })),
  );
}

async function run(dir: string, texts: readonly string[]): Promise<RunReport> {
  return runRecipe(graphOf(dir, texts), { stderr: sink().stream, gpus: 0 });
}

/** The lock a full format of `report` gives (what the file must always hold). */
function expectedLock(report: RunReport): string {
  return formatLockSteps(
    report.recipe,
    report.steps.map((step) => [
      step.id,
      {
        uses: step.uses,
        version: step.version,
        key: step.key!,
        deterministic: true,
        outputs: step.outputHashes ?? {},
      },
    ]),
  );
}

describe('the lock file after all-cached runs', () => {
  it('stays exactly the fully formatted lock through edits, reverts, deletion and hand edits', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'test.lock.yaml');
    const checkFile = join(dir, '.asterism', 'index', 'test.lock-check.json');
    const first = await run(dir, ['a', 'b', 'c']);
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(first));
    await expect(readFile(checkFile)).rejects.toThrow(); // computed steps: nothing vouched for

    const cached = await run(dir, ['a', 'b', 'c']);
    expect(cached.steps.every((step) => step.status === 'cached')).toBe(true);
    expect(JSON.parse(await readFile(checkFile, 'utf8'))).toMatchObject({ file: lock });
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(cached));

    // A hand edit of the lock file: the next no-op writes the true lock back.
    await writeFile(lock, (await readFile(lock, 'utf8')).replace('"w[i=1]"', '"w[i=9]"'));
    await run(dir, ['a', 'b', 'c']);
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(cached));

    // A hand edit that keeps size and times: still found (ctime changes with any write).
    const text = await readFile(lock, 'utf8');
    const edited = text.replace(/key: "([0-9a-f])/, (_m, c: string) => `key: "${c === '0' ? '1' : '0'}`);
    expect(edited).not.toBe(text);
    await writeFile(lock, edited);
    const past = new Date(Date.now() - 60_000);
    await utimes(lock, past, past);
    await run(dir, ['a', 'b', 'c']);
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(cached));

    // A changed param computes a step; going back finds every entry cached again, under a
    // digest the check file does not hold: the lock follows both times.
    const changed = await run(dir, ['a', 'B', 'c']);
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(changed));
    await run(dir, ['a', 'B', 'c']); // all cached: the check file now vouches for this lock
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(changed));
    const back = await run(dir, ['a', 'b', 'c']);
    expect(back.steps.every((step) => step.status === 'cached')).toBe(true);
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(cached));

    // A deleted lock file is written again.
    await rm(lock);
    await run(dir, ['a', 'b', 'c']);
    expect(await readFile(lock, 'utf8')).toBe(expectedLock(cached));
  });

  it('vouches only for the same digest and the same untouched file', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'r.lock.yaml');
    const checkFile = join(dir, 'check.json');
    const digest = lockDigest('r', 'steps-1');
    expect(lockDigest('r', 'steps-2')).not.toBe(digest);
    expect(lockDigest('r2', 'steps-1')).not.toBe(digest);
    await writeFile(lock, 'lock text\n');
    expect(await lockIsCurrent(checkFile, lock, digest)).toBe(false); // nothing remembered
    await rememberLock(checkFile, lock, digest);
    expect(await lockIsCurrent(checkFile, lock, digest)).toBe(true);
    expect(await lockIsCurrent(checkFile, lock, lockDigest('r', 'steps-2'))).toBe(false);
    expect(await lockIsCurrent(checkFile, join(dir, 'other.lock.yaml'), digest)).toBe(false);
    await writeFile(lock, 'lock text\n'); // same bytes, rewritten: times change
    expect(await lockIsCurrent(checkFile, lock, digest)).toBe(false);
    await writeFile(checkFile, '{ not json');
    expect(await lockIsCurrent(checkFile, lock, digest)).toBe(false);
  });
});
