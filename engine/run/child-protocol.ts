/**
 * Messages between the engine and an `asterism exec-step` child, over the IPC channel.
 */
import type { StepProvenance } from '../step.js';

/** Parent -> child: the one step to run. */
export interface ExecJob {
  readonly type: 'job';
  readonly uses: string;
  /** Absolute path of the plugin module defining the step; absent for built-ins. */
  readonly pluginModule?: string;
  readonly params: Record<string, unknown>;
  readonly outDir: string;
  readonly seed: number;
  readonly provenance: StepProvenance;
  readonly recipeDir: string;
}

/** Child -> parent. */
export type ChildMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'backend'; readonly description: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'debug'; readonly message: string }
  | { readonly type: 'result'; readonly outputs: unknown }
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly hint?: string };
