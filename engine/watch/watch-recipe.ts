/**
 * `asterism run --watch`: rerun what a change touched, by itself.
 *
 * chokidar (lazy-imported) watches the recipe, its plugins and every declared input. Events are
 * debounced (200 ms); large files are waited for (`awaitWriteFinish`). If a run is in progress
 * when a change lands, only the steps reading a changed input (and their dependents) are aborted
 * — a recipe or plugin edit aborts the whole run — and the plan runs again once it ends: steps
 * the change did not touch finish or stay cached. Never two runs at once. An invalid recipe is
 * reported and the last good one kept until the file is fixed.
 */
import type { Writable } from 'node:stream';
import type { RecipeGraph } from '../graph/types.js';
import { runRecipe } from '../run/run-recipe.js';
import type { RunOptions, RunReport } from '../run/types.js';
import { affectedByInputs, summariseIds } from './affected.js';
import { classify, type WatchTarget, watchTargets } from './watch-targets.js';

export interface WatchOptions extends RunOptions {
  /** Loads (and validates) the recipe; throws a located `RecipeError` when it is invalid. */
  readonly load: () => Promise<RecipeGraph>;
  /** Stops watching (Ctrl-C). Required: watch mode runs until it aborts. */
  readonly signal: AbortSignal;
  /** Formats a load error for the user. @default `error.message` */
  readonly formatError?: (error: unknown) => string;
  /** @default 200 */
  readonly debounceMs?: number;
  /** Where watch messages go. @default `stderr` option, else process.stderr */
  readonly messages?: Writable;
  /** Called when chokidar is ready (tests wait for it). */
  readonly onReady?: () => void;
  /** Called after each run. */
  readonly onRun?: (report: RunReport) => void;
  /** Called when a reload failed and the last good recipe is kept. */
  readonly onInvalid?: (message: string) => void;
}

interface Change {
  readonly target: WatchTarget;
  readonly event: 'add' | 'change' | 'unlink';
  readonly file: string;
}

/** Run, then rerun on every relevant change until `options.signal` aborts. */
export async function watchRecipe(options: WatchOptions): Promise<void> {
  const out = options.messages ?? options.stderr ?? process.stderr;
  const say = (line: string): void => {
    out.write(`watch     ${line}\n`);
  };
  const { watch } = await import('chokidar');
  let graph = await options.load();
  let targets = watchTargets(graph);
  const cacheDir = options.cacheDir;
  const watcher = watch(
    targets.map((target) => target.path),
    {
      ignoreInitial: true,
      awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 20 },
      ignored: (path: string) =>
        path.includes('/.asterism/') || (cacheDir !== undefined && path.startsWith(cacheDir)),
    },
  );
  let pending: Change[] = [];
  let timer: NodeJS.Timeout | undefined;
  let firstPendingMs = 0;
  let wake: (() => void) | undefined;
  let running: { whole: AbortController; steps: Map<string, AbortController> } | undefined;

  const fire = (): void => {
    timer = undefined;
    if (running !== undefined) cancelInvalidated(running, pending, graph);
    wake?.();
  };
  watcher.on('all', (event: string, file: string) => {
    if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
    const target = classify(targets, file);
    if (target === undefined) return;
    if (pending.length === 0) firstPendingMs = Date.now();
    pending.push({ target, event, file });
    if (timer !== undefined) clearTimeout(timer);
    // Trailing debounce, but never more than 5 debounce periods after the first pending change:
    // a folder that changes every 100 ms must still trigger reruns.
    const debounceMs = options.debounceMs ?? 200;
    const untilMaxWait = firstPendingMs + 5 * debounceMs - Date.now();
    timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, untilMaxWait)));
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  options.onReady?.();
  const stop = (): void => wake?.();
  options.signal.addEventListener('abort', stop, { once: true });

  try {
    let reason = 'initial run';
    for (;;) {
      if (options.signal.aborted) break;
      say(reason);
      const whole = new AbortController();
      const steps = new Map<string, AbortController>();
      running = { whole, steps };
      // Forward Ctrl-C to this run by a listener removed when the run ends, not AbortSignal.any:
      // each `any` leaves a WeakRef in the long-lived watch signal (Node 20), one per rerun.
      const forward = (): void => whole.abort(options.signal.reason);
      options.signal.addEventListener('abort', forward, { once: true });
      let report: RunReport;
      try {
        report = await runRecipe(graph, {
          ...options,
          signal: whole.signal,
          stepSignal: (id) => {
            const controller = new AbortController();
            steps.set(id, controller);
            return controller.signal;
          },
        });
      } finally {
        options.signal.removeEventListener('abort', forward);
      }
      running = undefined;
      options.onRun?.(report);
      const next = await nextChange();
      if (next === undefined) break;
      reason = next;
    }
  } finally {
    options.signal.removeEventListener('abort', stop);
    if (timer !== undefined) clearTimeout(timer);
    await watcher.close();
  }

  /** Wait for settled changes worth a run; the reason line, or undefined when stopped. */
  async function nextChange(): Promise<string | undefined> {
    let announced = false;
    for (;;) {
      while (!options.signal.aborted && (pending.length === 0 || timer !== undefined)) {
        if (!announced && pending.length === 0) say('waiting for changes (Ctrl-C to stop)');
        announced = true;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (options.signal.aborted) return undefined;
      const changes = pending;
      pending = [];
      const reload = changes.some((change) => change.target.kind !== 'input');
      if (reload) {
        try {
          graph = await options.load();
          const next = watchTargets(graph);
          watcher.add(next.map((target) => target.path));
          targets = next;
        } catch (error) {
          const message =
            options.formatError?.(error) ?? (error instanceof Error ? error.message : String(error));
          out.write(`${message}\n`);
          say('the recipe is invalid: keeping the last good one until it is fixed');
          options.onInvalid?.(message);
          if (changes.every((change) => change.target.kind !== 'input')) continue;
        }
      }
      return describe(changes, graph, reload);
    }
  }
}

/** Abort what the pending changes invalidate in the run in progress. */
function cancelInvalidated(
  running: { whole: AbortController; steps: Map<string, AbortController> },
  changes: readonly Change[],
  graph: RecipeGraph,
): void {
  if (changes.some((change) => change.target.kind !== 'input')) {
    running.whole.abort(new Error('the recipe changed'));
    return;
  }
  const names = new Set(changes.map((change) => change.target.inputName!));
  for (const id of affectedByInputs(graph, names))
    running.steps.get(id)?.abort(new Error('its input changed'));
}

/** `inputs.references: 1 added (data/ref/f12.fits) → rerun: diff[f12], unet, metrics`. */
function describe(changes: readonly Change[], graph: RecipeGraph, reloaded: boolean): string {
  const parts: string[] = [];
  if (reloaded) parts.push('recipe or plugin changed');
  const byInput = new Map<string, Change[]>();
  for (const change of changes) {
    if (change.target.kind !== 'input') continue;
    const list = byInput.get(change.target.inputName!) ?? [];
    list.push(change);
    byInput.set(change.target.inputName!, list);
  }
  for (const [name, list] of byInput) {
    const counts = (['add', 'change', 'unlink'] as const)
      .map((event) => {
        const files = [
          ...new Set(list.filter((change) => change.event === event).map((change) => change.file)),
        ];
        if (files.length === 0) return '';
        const word = event === 'add' ? 'added' : event === 'change' ? 'changed' : 'deleted';
        const shown = files.slice(0, 3).map((file) => file.replace(`${graph.recipe.dir}/`, ''));
        return `${files.length} ${word} (${shown.join(', ')}${files.length > 3 ? ', ...' : ''})`;
      })
      .filter(Boolean);
    parts.push(`inputs.${name}: ${counts.join(', ')}`);
  }
  const rerun = reloaded
    ? 'whatever the plan finds changed'
    : summariseIds(affectedByInputs(graph, new Set(byInput.keys())));
  return `${parts.join('; ')} → rerun: ${rerun}`;
}
