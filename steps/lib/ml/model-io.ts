/**
 * Saving and loading tfjs Layers models as a folder: `model.json` (topology + weights manifest)
 * and binary weight shards `group1-shard{i}of{n}.bin` — the layout of tfjs-node's `file://`
 * handler, so `tf.loadLayersModel('file://…/model.json')` (tfjs-node) or our `fileIO` load it.
 *
 * Writes are atomic per file and ordered: shards first, `model.json` last, each written to a
 * temporary name and renamed, so a reader never sees a model.json whose shards are incomplete.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Name of the topology file inside a model folder. */
export const MODEL_JSON = 'model.json';

/** Largest weight shard written, in bytes (tfjs's own default). */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** A model folder that is missing, unreadable or inconsistent. */
export class ModelIOError extends Error {
  override readonly name = 'ModelIOError';
  constructor(
    message: string,
    /** The file at fault. */
    readonly file: string,
  ) {
    super(message);
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/** Bytes the weight specs of a manifest say the shards hold together. */
function expectedBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    total +=
      n *
      (s.quantization
        ? s.quantization.dtype === 'float16' || s.quantization.dtype === 'uint16'
          ? 2
          : 1
        : (BYTES_PER_ELEMENT[s.dtype] ?? 4));
  }
  return total;
}

/**
 * A tfjs IOHandler for the model folder `dir`: `model.save(fileIO(dir))`,
 * `tf.loadLayersModel(fileIO(dir))`.
 */
export function fileIO(dir: string): tf.io.IOHandler {
  const modelPath = path.join(dir, MODEL_JSON);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ModelIOError('binary model topologies are not supported; save a Layers model', modelPath);
      }
      await mkdir(dir, { recursive: true });
      const weights = new Uint8Array(
        artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0),
      );
      const shardCount = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      for (let i = 0; i < shardCount; i++) {
        const name = `group1-shard${i + 1}of${shardCount}.bin`;
        await writeAtomic(
          path.join(dir, name),
          weights.subarray(i * SHARD_BYTES, Math.min(weights.byteLength, (i + 1) * SHARD_BYTES)),
        );
        paths.push(name);
      }
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      const text = JSON.stringify(modelJson);
      await writeAtomic(modelPath, text);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: Buffer.byteLength(text),
          weightSpecsBytes: Buffer.byteLength(JSON.stringify(artifacts.weightSpecs ?? [])),
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      let text: string;
      try {
        text = await readFile(modelPath, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new ModelIOError(
          code === 'ENOENT'
            ? `model file ${modelPath} not found; a model folder holds model.json and its weight shards`
            : `cannot read model file ${modelPath}: ${(err as Error).message}`,
          modelPath,
        );
      }
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (err) {
        throw new ModelIOError(
          `model file ${modelPath} is not valid JSON (${(err as Error).message}); the file is corrupt`,
          modelPath,
        );
      }
      if (
        typeof json !== 'object' ||
        json === null ||
        !json.modelTopology ||
        !Array.isArray(json.weightsManifest)
      ) {
        throw new ModelIOError(
          `model file ${modelPath} lacks modelTopology or weightsManifest; it is not a tfjs Layers model`,
          modelPath,
        );
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const name of group.paths) {
          const shard = path.join(dir, name);
          try {
            const b = await readFile(shard);
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          } catch (err) {
            throw new ModelIOError(
              `weight shard ${shard} listed in ${modelPath} cannot be read: ${(err as Error).message}`,
              shard,
            );
          }
        }
      }
      const weightData = tf.io.CompositeArrayBuffer.join(buffers);
      const want = expectedBytes(specs);
      if (weightData.byteLength !== want) {
        throw new ModelIOError(
          `weight shards of ${modelPath} hold ${weightData.byteLength} bytes but its manifest describes ${want}; a shard is truncated or corrupt`,
          modelPath,
        );
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData,
        format: json.format ?? 'layers-model',
        ...(json.generatedBy ? { generatedBy: json.generatedBy } : {}),
        ...(json.convertedBy ? { convertedBy: json.convertedBy } : {}),
        ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
        ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
      };
    },
  };
}

/** Save a Layers model into folder `dir` (created if needed). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileIO(dir));
}

/** Load a Layers model from folder `dir`. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileIO(dir));
}
