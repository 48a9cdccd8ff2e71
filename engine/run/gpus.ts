/**
 * GPU discovery: the default number of GPU slots.
 */
import { execFileSync } from 'node:child_process';

let detected: number | undefined;

/**
 * Number of GPUs listed by `nvidia-smi -L` (one `GPU n: ...` line each); 0 when the command is
 * missing or fails. Memoised: asked once per process.
 */
export function detectGpus(): number {
  if (detected !== undefined) return detected;
  try {
    const text = execFileSync('nvidia-smi', ['-L'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    detected = text.split('\n').filter((line) => /^GPU \d+:/.test(line)).length;
  } catch {
    detected = 0;
  }
  return detected;
}
