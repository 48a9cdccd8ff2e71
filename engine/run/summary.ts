/**
 * The final summary table: step, status, time — failures first, then the rest, with counts.
 */

import { formatDuration } from './reporter.js';
import type { RunReport, StepReport } from './types.js';

/** Rows shown before the table is cut to counts (a 10,000-step run has a short summary). */
const MAX_ROWS = 40;

const ORDER: Record<string, number> = {
  failed: 0,
  blocked: 1,
  aborted: 2,
  succeeded: 3,
  cached: 4,
  skipped: 5,
};

/**
 * The table and the outcome line, or (`table` false, for `--quiet`) the outcome line alone:
 * `name: ok in 0.2s — 10001 cached`, and the lock file's path when one was written.
 */
export function formatSummary(report: RunReport, table = true): string {
  const lines: string[] = [];
  if (table) {
    const rows = [...report.steps].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9));
    const shown = rows.slice(0, MAX_ROWS);
    const idWidth = Math.min(60, Math.max(4, ...shown.map((row: StepReport) => row.id.length)));
    lines.push('', `${'step'.padEnd(idWidth)}  ${'status'.padEnd(9)}  time`);
    for (const row of shown) {
      lines.push(
        `${row.id.padEnd(idWidth)}  ${row.status.padEnd(9)}  ${row.durationMs > 0 ? formatDuration(row.durationMs) : '-'}`,
      );
    }
    if (rows.length > shown.length) lines.push(`... ${rows.length - shown.length} more`);
  }
  const counts = new Map<string, number>();
  for (const row of report.steps) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const parts = [...counts]
    .sort((a, b) => (ORDER[a[0]] ?? 9) - (ORDER[b[0]] ?? 9))
    .map(([status, n]) => `${n} ${status}`);
  lines.push(
    `${report.recipe}: ${report.outcome} in ${formatDuration(report.durationMs)} — ${parts.join(', ') || 'nothing to do'}`,
  );
  if (report.lockFile !== undefined) lines.push(`lock file: ${report.lockFile}`);
  return `${lines.join('\n')}\n`;
}
