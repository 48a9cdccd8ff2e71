/**
 * The scheduler's public API, used by `engine/cli`.
 *
 * - `runRecipe(graph, options)`: run (or `dryRun`) a recipe graph; never throws for a step
 *   failure (see `RunReport.outcome`); throws `AsterismError` for unusable options.
 * - `planRecipe(graph, options)`: what would run and why, without running anything.
 * - `explainStep(graph, stepId, options)`: the plan entries of one step's instances.
 * - `showStep(graph, stepId, options)`: key, cache status and output paths of a step's instances.
 * - `verifyRecipe(graph, options)`: rerun in a fresh temporary cache and compare with the lock.
 * - `execStepMain(argv, registry)`: the body of `asterism exec-step JOBFILE` (returns exit code).
 * - `shellStep`: the built-in `shell` step definition (register it with the built-ins).
 */
export { execStepMain } from './exec-step-main.js';
export { detectGpus } from './gpus.js';
export { explainStep, planRecipe, showStep } from './plan.js';
export { runRecipe } from './run-recipe.js';
export { shellStep } from './shell-step.js';
export type {
  ExecStepRegistry,
  LogFormat,
  ParamsValidator,
  PlanEntry,
  PlanReport,
  RunOptions,
  RunReport,
  ShowReport,
  StepReport,
} from './types.js';
export { StepStatus } from './types.js';
export { verifyRecipe } from './verify-recipe.js';
