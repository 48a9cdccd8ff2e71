/**
 * Watch mode's public API, used by `engine/cli` for `asterism run RECIPE --watch`:
 * `watchRecipe({ load, signal, ...runOptions })` runs, then reruns on every change until
 * `signal` aborts (the CLI then exits 130).
 */
export type { WatchOptions } from './watch-recipe.js';
export { watchRecipe } from './watch-recipe.js';
