/**
 * What the watch soak counts in its own process: open file descriptors, child processes, and
 * where the memory is (RSS, V8's used and committed heap by space, off-heap Buffers).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const MB = 2 ** 20;

/** One reading of the process. Memory in MB. */
export interface ProcessReading {
  readonly fds: number;
  readonly children: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** V8's committed heap (`heapTotal`): pages V8 holds, used or not. */
  readonly heapTotalMb: number;
  /** Committed young generation (both semi-spaces). */
  readonly newSpaceMb: number;
  readonly oldSpaceMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
}

/** Memory only, cheap enough to take after every run (no `ps`, no GC). */
export function memoryReading(): Omit<ProcessReading, 'fds' | 'children'> {
  const m = process.memoryUsage();
  const space = (name: string): number =>
    (getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0) / MB;
  return {
    rssMb: m.rss / MB,
    heapUsedMb: m.heapUsed / MB,
    heapTotalMb: m.heapTotal / MB,
    newSpaceMb: space('new_space'),
    oldSpaceMb: space('old_space'),
    externalMb: m.external / MB,
    arrayBuffersMb: m.arrayBuffers / MB,
  };
}

/** A full reading after a full GC (needs `--expose-gc`), so runs compare live memory. */
export function settledReading(): ProcessReading {
  global.gc?.();
  return { fds: openFds(), children: childProcesses(), ...memoryReading() };
}

export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Child processes of this process (not counting the `ps` that counts them). */
export function childProcesses(): number {
  return childCommands().length;
}

/** The command lines of this process's children, without the `ps` that lists them. */
export function childCommands(): string[] {
  try {
    const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('ps --ppid'));
  } catch {
    return [];
  }
}

/** Open descriptors grouped by target with digits folded: says what leaked. */
export function fdTargets(): Map<string, number> {
  const targets = new Map<string, number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = '(closed meanwhile)';
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`).replace(/[0-9]+/g, 'N');
    } catch {}
    targets.set(target, (targets.get(target) ?? 0) + 1);
  }
  return targets;
}
