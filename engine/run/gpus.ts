/**
 * GPU discovery: the default number of GPU slots.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let detected: number | undefined;

/** `countGpus()`, asked once per process. */
export function detectGpus(): number {
  detected ??= countGpus();
  return detected;
}

/**
 * Number of GPUs listed by `nvidia-smi -L` (one `GPU n: ...` line each); 0 when the command is
 * not on `path` or fails.
 */
export function countGpus(path = process.env.PATH ?? ''): number {
  // Without nvidia-smi on PATH there is nothing to ask: looking costs a few `access` calls,
  // where spawning a command that is not there forks the whole process first (~3 ms per run).
  const command = findOnPath('nvidia-smi', path);
  if (command === undefined) return 0;
  try {
    const text = execFileSync(command, ['-L'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    return text.split('\n').filter((line) => /^GPU \d+:/.test(line)).length;
  } catch {
    return 0;
  }
}

/** The first executable `name` in `path`'s folders. */
function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
