/**
 * `unet.json`, written by train-unet into its model folder beside `model.json`: what `detect`
 * must know to feed the network the same numbers it was trained on.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHANNEL_NAMES, type ChannelName } from './channels.js';

/** File name inside the model folder. */
export const UNET_CONFIG_FILE = 'unet.json';

/** The training-time facts detection depends on. */
export interface UNetConfig {
  readonly format: 'asterism-unet/1';
  /** Input channels in order. */
  readonly channels: readonly ChannelName[];
  readonly widths: readonly number[];
  /** Input scaling applied per whole field and channel. */
  readonly scaling: 'median-mad-asinh';
  readonly stampSize: number;
  readonly trainFields: readonly string[];
  readonly validationFields: readonly string[];
  readonly bestEpoch: number;
  readonly positiveWeight: number;
  /** Backend the model was trained on. */
  readonly backend: string;
  /** BCE weight of artifact pixels during training (absent in older models). */
  readonly artifactWeight?: number;
  /**
   * The operating probability threshold chosen on the validation fields (train-unet's
   * `operatingFpPerMegapixel` / `operatingRecall` rule); `detect` uses it unless given a `threshold`. Absent in models
   * trained without validation fields (detect then uses 0.5).
   */
  readonly threshold?: number;
  /** How `threshold` was chosen, and its validation scores. */
  readonly thresholdChoice?: {
    readonly rule: string;
    /** Which step of the rule decided: `fp-bound`, `recall-floor` or `fewest-fp` (older models: absent). */
    readonly basis?: string;
    readonly withinBound: boolean;
    /** Validation area searched, 10⁶ pixels. */
    readonly megapixels?: number;
    /** 95 % Poisson upper bound of the false positives per megapixel at the threshold. */
    readonly falsePositivesUpperPerMegapixel?: number;
    readonly fields: readonly string[];
    readonly recall: number | null;
    readonly precision: number | null;
    readonly falsePositivesPerImage: number;
    readonly falsePositivesPerMegapixel: number;
  };
}

/** Read and check `unet.json` from a model folder. */
export async function readUNetConfig(modelDir: string): Promise<UNetConfig> {
  const path = join(modelDir, UNET_CONFIG_FILE);
  const config = JSON.parse(await readFile(path, 'utf8')) as UNetConfig;
  if (config.format !== 'asterism-unet/1' || !Array.isArray(config.channels)) {
    throw new Error(`${path}: not an asterism U-Net configuration (format \`${String(config.format)}\`)`);
  }
  const unknown = config.channels.filter((c) => !(CHANNEL_NAMES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`${path}: unknown channel(s) ${unknown.join(', ')}`);
  return config;
}
