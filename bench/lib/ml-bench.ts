/** Helpers shared by the ML benchmarks: CLI flags, the PyTorch peer, timing, the result table. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of the PyTorch peer scripts (`../shared/peers` beside the repository). */
export const PEERS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'peers',
);

/** `--name value` flags of the command line. */
export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

/** Run a PyTorch peer with /usr/bin/python3 and return its JSON line (or why it failed). */
export function runPeer(
  script: string,
  args: readonly string[],
): Record<string, unknown> | { error: string } {
  const file = path.join(PEERS_DIR, script);
  const r = spawnSync('/usr/bin/python3', [file, ...args], { encoding: 'utf8', timeout: 600_000 });
  const line = (r.stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (r.status !== 0 || !line)
    return { error: `${script} exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').pop()}` };
  return JSON.parse(line) as Record<string, unknown>;
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Print rows as an aligned table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
