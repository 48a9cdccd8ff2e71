/** `asterism cache ls|gc|verify`: look after the content-addressed cache. */
import { join, resolve } from 'node:path';
import type { CacheVerifyReport } from '../../cache/index.js';
import { parseDuration } from '../../recipe/duration.js';
import { intOption, listOption, stringOption, usageError } from '../args.js';
import type { CliCommand } from '../types.js';

const SUBCOMMANDS = ['ls', 'gc', 'verify'] as const;

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** `2 problem(s) in 1 entry; invalidated 1 in place (the next run recomputes them)`. */
function verifySummary(report: CacheVerifyReport, cacheDir: string): string {
  if (report.problems.length === 0 && report.pending.length === 0) return 'all intact';
  const damaged = new Set(report.problems.map((problem) => problem.key)).size;
  const parts = [
    report.problems.length === 0
      ? 'no new damage'
      : `${report.problems.length} problem(s) in ${damaged} ${damaged === 1 ? 'entry' : 'entries'}`,
  ];
  if (report.pending.length > 0)
    parts.push(`${report.pending.length} invalidated by an earlier verify, awaiting the next run`);
  if (report.invalidated.length > 0)
    parts.push(`invalidated ${report.invalidated.length} in place (the next run recomputes them)`);
  if (report.quarantined.length > 0)
    parts.push(
      `quarantined ${report.quarantined.length} to ${join(cacheDir, 'quarantine')} (the next run recomputes them)`,
    );
  return parts.join('; ');
}

export const cacheCommand: CliCommand = {
  name: 'cache',
  summary: 'list, clean up (gc) or check (verify) the cache',
  usage: 'asterism cache ls|gc|verify [options]',
  help: `Subcommands:
  ls                 entries, oldest first: key, step, size, created, pinned by which lock files
  gc                 remove entries no lock file pins (lock files written by runs are always honoured)
  verify             re-hash every entry; a damaged one (modified, truncated or deleted after the fact)
                     is invalidated in place so the next run recomputes it. Exit 1 when this verify
                     finds damage; an entry an earlier verify invalidated is listed as \`pending\`
                     (it awaits the next run and is no new damage: exit 0)

Options:
  --cache-dir DIR    cache folder (default: $ASTERISM_CACHE, else ./.asterism)
  --lock FILE        (gc, ls) also honour this lock file (repeatable)
  --keep-newer AGE   (gc) keep entries younger than AGE, e.g. 7d, 12h
  --keep-runs N      (gc) also keep only each recipe's newest N run records (runs/), removing
                     older ones and the steps files only they used; without it runs/ is untouched
  --dry-run          (gc) list what would be removed
  --quarantine       (verify) move damaged entries to <cache>/quarantine/ to inspect them, instead
  --json             print JSON

Examples:
  asterism cache ls
  asterism cache gc --dry-run
  asterism cache gc --keep-newer 7d --lock paper.lock.yaml
  asterism cache gc --keep-runs 20
  asterism cache verify --quarantine`,
  options: {
    'cache-dir': { type: 'string' },
    lock: { type: 'string', multiple: true },
    'keep-newer': { type: 'string' },
    'keep-runs': { type: 'string' },
    'dry-run': { type: 'boolean', short: 'n' },
    quarantine: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: ['SUBCOMMAND'],
  required: 1,
  async run({ values, positionals }, ctx) {
    const sub = positionals[0]!;
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw usageError(
        cacheCommand,
        `unknown subcommand \`cache ${sub}\``,
        `use one of: ${SUBCOMMANDS.join(', ')}`,
      );
    }
    const { cacheGc, cacheLs, cacheVerify, resolveCacheDir } = await import('../../cache/index.js');
    const explicit = stringOption(values, 'cache-dir');
    const cacheDir = resolveCacheDir(
      ctx.io.cwd,
      explicit === undefined ? undefined : resolve(ctx.io.cwd, explicit),
    );
    const lockFiles = listOption(values, 'lock', false).map((file) => resolve(ctx.io.cwd, file));
    const json = values.json === true;
    const out = (text: string): boolean => ctx.io.stdout.write(text);
    if (sub === 'ls') {
      const entries = await cacheLs(cacheDir, { lockFiles });
      if (json) out(`${JSON.stringify(entries, null, 2)}\n`);
      else {
        for (const entry of entries) {
          const pinned = entry.pinnedBy.length === 0 ? '' : `  pinned by ${entry.pinnedBy.join(', ')}`;
          out(
            `${entry.key.slice(0, 16)}  ${entry.id} (${entry.uses} ${entry.version})  ${formatBytes(entry.bytes)}  ${entry.createdAt}${pinned}\n`,
          );
        }
        const total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
        out(`${entries.length} entries, ${formatBytes(total)} in ${cacheDir}\n`);
      }
      return 0;
    }
    if (sub === 'gc') {
      const age = stringOption(values, 'keep-newer');
      const keepNewerThanMs = age === undefined ? undefined : parseDuration(age);
      if (age !== undefined && keepNewerThanMs === undefined) {
        throw usageError(
          cacheCommand,
          `expected --keep-newer to be a duration such as 7d or 12h, got \`${age}\``,
        );
      }
      // At least one: `plan` and `explain` compare with the latest record.
      const keepRuns = intOption(cacheCommand, values, 'keep-runs', 1);
      const report = await cacheGc(cacheDir, {
        lockFiles,
        dryRun: values['dry-run'] === true,
        ...(keepNewerThanMs === undefined ? {} : { keepNewerThanMs }),
        ...(keepRuns === undefined ? {} : { keepRuns }),
      });
      if (json) out(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const verb = values['dry-run'] === true ? 'would remove' : 'removed';
        for (const entry of report.removed)
          out(
            `${verb} ${entry.key.slice(0, 16)}  ${entry.id} (${entry.uses})  ${formatBytes(entry.bytes)}\n`,
          );
        out(
          `${verb} ${report.removed.length} entries (${formatBytes(report.freedBytes)}), kept ${report.kept}; honoured ${report.lockFiles.length} lock file(s)\n`,
        );
        if (report.runs !== undefined)
          out(
            `${verb} ${report.runs.records} run record(s) and ${report.runs.stepsFiles} steps file(s) (${formatBytes(report.runs.bytes)}); kept each recipe's newest ${keepRuns}\n`,
          );
      }
      return 0;
    }
    const report = await cacheVerify(cacheDir, { quarantine: values.quarantine === true });
    if (json) out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const problem of report.problems)
        out(`${problem.problem.padEnd(10)} ${problem.key.slice(0, 16)} ${problem.file}: ${problem.detail}\n`);
      for (const key of report.pending)
        out(
          `${'pending'.padEnd(10)} ${key.slice(0, 16)}: invalidated by an earlier \`asterism cache verify\`; the next run recomputes it\n`,
        );
      out(`checked ${report.checked} entries: ${verifySummary(report, cacheDir)}\n`);
    }
    return report.problems.length === 0 ? 0 : 1;
  },
};
