import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatLockSteps } from '../../../../engine/cache/lock-file.js';
import type { LockFile } from '../../../../engine/cache/types.js';

describe('formatLockSteps', () => {
  it('writes YAML that parses back to the same lock, whatever characters ids and names hold', () => {
    const ids = ['plain[i=1]', 'quote"d', 'back\\slash', 'tab\there', 'näive', 'line\u2028sep', 'x: y # z'];
    const lock: LockFile = {
      lockVersion: 1,
      recipe: 'r "1"',
      steps: Object.fromEntries(
        ids.map((id, i) => [
          id,
          {
            uses: `use-${id}`,
            version: '1',
            key: `${i}`.repeat(64),
            deterministic: i % 2 === 0,
            outputs: i === 0 ? {} : { [`out ${id}`]: `sha256:${id}` },
          },
        ]),
      ),
    };
    expect(parse(formatLockSteps(lock.recipe, Object.entries(lock.steps)))).toEqual(lock);
  });
});
