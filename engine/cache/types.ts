/**
 * Types of the content-addressed cache: entries, manifests, lock files, provenance records,
 * and the reports of `asterism cache ls|gc|verify` and `asterism verify`.
 */

/** Bumped whenever the key derivation or the entry layout changes: part of every key. */
export const CACHE_FORMAT_VERSION = 2;

/** One output of an entry. */
export interface ManifestOutput {
  /** Path relative to the entry's `out/` folder (a file or a folder). */
  readonly path: string;
  /** `sha256:<hex>` of the file, or of the folder's sorted (relative path, file hash) list. */
  readonly hash: string;
  /** Total bytes. */
  readonly bytes: number;
}

/**
 * `manifest.json` of a cache entry. Its presence marks the entry complete (it is written
 * inside the temporary folder before the folder is renamed into place).
 */
export interface CacheManifest {
  readonly format: number;
  readonly key: string;
  readonly uses: string;
  readonly version: string;
  /** Instance id that first produced it (informational: keys are shared across recipes). */
  readonly id: string;
  readonly recipe: string;
  /** The material the key was hashed from (params with references replaced by hashes). */
  readonly material: KeyMaterial;
  readonly outputs: Readonly<Record<string, ManifestOutput>>;
  /** ISO time the entry was completed. */
  readonly createdAt: string;
  readonly durationMs: number;
  readonly deterministic: boolean;
  readonly backend?: string;
}

/** Everything a key is hashed from, kept so `plan`/`explain` can say what changed. */
export interface KeyMaterial {
  readonly format: number;
  readonly uses: string;
  readonly version: string;
  readonly code: string;
  /** Canonical params; every reference replaced by `{"$hash": "sha256:..."}` (or a list). */
  readonly params: unknown;
  /**
   * The `ctx.seed` the step gets (see run/seed.ts): an explicit integer `seed` param, else
   * derived from the recipe name and the instance id. Part of the key because it changes what a
   * step computes: without it, matrix replicates with equal params (`matrix: { rep: [1, 2, 3] }`)
   * shared one entry, and a recipe copied under another name reused the original's random draws.
   */
  readonly seed: number;
}

/** One row of `asterism cache ls`. */
export interface CacheEntryInfo {
  readonly key: string;
  readonly uses: string;
  readonly version: string;
  readonly id: string;
  readonly recipe: string;
  readonly bytes: number;
  readonly createdAt: string;
  /** Absolute path of the entry folder. */
  readonly dir: string;
  /** Lock files (absolute paths) that pin this entry. */
  readonly pinnedBy: readonly string[];
}

/** Options of `cacheGc`. */
export interface CacheGcOptions {
  /**
   * Additional lock files (`*.lock.yaml`) whose entries must be kept. Lock files recorded in the
   * cache's `pins.json` (every lock file a run has written with this cache) are always honoured
   * while they still exist on disk.
   */
  readonly lockFiles?: readonly string[];
  /** Also keep entries created within this many milliseconds. @default 0 */
  readonly keepNewerThanMs?: number;
  /** Report what would be removed without removing it. @default false */
  readonly dryRun?: boolean;
  /**
   * Keep each recipe's newest N run records (`runs/`); older ones, and steps files no kept record
   * names, are removed. @default undefined: run records are left alone.
   */
  readonly keepRuns?: number;
}

/** What `cache gc --keep-runs` removed (or, on a dry run, would remove). */
export interface RunsPruneReport {
  readonly records: number;
  readonly stepsFiles: number;
  readonly bytes: number;
}

export interface CacheGcReport {
  readonly removed: readonly CacheEntryInfo[];
  readonly kept: number;
  readonly freedBytes: number;
  /** Lock files honoured. */
  readonly lockFiles: readonly string[];
  /** Stale temporary folders and dead locks cleaned. */
  readonly tempRemoved: number;
  /** With `keepRuns`: run records and steps files removed, and their bytes. */
  readonly runs?: RunsPruneReport;
}

/** One problem found by `cache verify`. */
export interface CacheProblem {
  readonly key: string;
  /** Path relative to the entry folder, or `manifest.json`. */
  readonly file: string;
  readonly problem: 'missing' | 'modified' | 'truncated' | 'unreadable-manifest' | 'extra';
  readonly detail: string;
}

export interface CacheVerifyReport {
  readonly checked: number;
  readonly problems: readonly CacheProblem[];
  /** Keys of the entries moved to `quarantine/` (with `quarantine: true`). */
  readonly quarantined: readonly string[];
  /** Keys of the entries invalidated in place (the default): the next run recomputes them. */
  readonly invalidated: readonly string[];
  /**
   * Keys of entries an earlier verify invalidated, still awaiting recomputation by the next run.
   * Already harmless (lookups miss them), so not counted as problems: a second verify before the
   * rerun does not report the same damage again.
   */
  readonly pending: readonly string[];
}

/** A step as pinned in `<recipe>.lock.yaml`. */
export interface LockStep {
  readonly uses: string;
  readonly version: string;
  readonly key: string;
  readonly deterministic: boolean;
  /** Output name -> content hash. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** `<recipe name>.lock.yaml`. */
export interface LockFile {
  readonly lockVersion: 1;
  readonly recipe: string;
  /** Instance id -> pin, in topological order. */
  readonly steps: Readonly<Record<string, LockStep>>;
}

/** A step in a provenance record. */
export interface ProvenanceStep {
  readonly id: string;
  readonly uses: string;
  readonly version: string;
  readonly code: string;
  readonly status: string;
  readonly key?: string;
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly attempts: number;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly backend?: string;
  readonly error?: string;
  /**
   * Key material, so a later `plan`/`explain` can diff against this run. Its `uses`, `version`
   * and `code` are left out when they equal the step's own (nearly always): they would repeat
   * ~130 bytes per step, a quarter of a 10,000-step record. `stepMaterial` restores them.
   */
  readonly material?: KeyMaterial | Pick<KeyMaterial, 'format' | 'params' | 'seed'>;
}

/** What a provenance record says of the run as a whole. */
export interface ProvenanceHead {
  readonly recipe: string;
  readonly recipeFile: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: string;
  /** The resolved recipe: params after `--set`, inputs, plugins. */
  readonly params: unknown;
  readonly inputs: Readonly<Record<string, string>>;
  readonly plugins: readonly string[];
  readonly tools: Readonly<Record<string, string>>;
  readonly host: {
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly gpus: number;
  };
}

/**
 * `runs/<recipe>/<time>-<pid>.json` under the cache: one run. Its steps are in `stepsFile`
 * (a JSON array of `ProvenanceStep` in run order), relative to the record's folder:
 * `steps/<sha256>.json`, named by everything the steps say, so runs that report the same steps
 * (every no-op rerun of an unchanged recipe) share one file instead of each writing it again
 * (5 MB for 10,000 steps).
 */
export interface ProvenanceRecord extends ProvenanceHead {
  readonly provenanceVersion: 2;
  readonly stepsFile: string;
  readonly stepCount: number;
}

/** A record with its steps read in (`readProvenance`); version 1 kept them in the record itself. */
export interface ProvenanceRun extends ProvenanceHead {
  readonly provenanceVersion: 1 | 2;
  readonly steps: readonly ProvenanceStep[];
}

/** One step of `asterism verify RECIPE`. */
export interface VerifyStep {
  readonly id: string;
  /** `same`: every output hash matches the lock; `differs`: a mismatch on a deterministic step;
   * `expected-difference`: a mismatch on a `deterministic: false` step; `not-in-lock`;
   * `failed`: the step did not complete in the fresh cache. */
  readonly verdict: 'same' | 'differs' | 'expected-difference' | 'not-in-lock' | 'failed';
  /** Output names whose hash differs, with both hashes. */
  readonly differences: readonly {
    readonly output: string;
    readonly locked?: string;
    readonly actual?: string;
  }[];
}

export interface VerifyRecipeReport {
  readonly recipe: string;
  readonly lockFile: string;
  /** True when no deterministic step differs and nothing failed. */
  readonly reproduced: boolean;
  readonly steps: readonly VerifyStep[];
}
