/**
 * Model folders: save → load is exact; the folder is the standard tfjs layout, proven by tfjs's
 * own HTTP loader reading it from a real local server; damaged folders give errors that name
 * the file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileIO,
  loadModel,
  MODEL_JSON,
  ModelIOError,
  saveModel,
} from '../../../../../steps/lib/ml/model-io.js';
import { buildGenerator } from '../../../../../steps/lib/models/gan.js';

let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(os.tmpdir(), 'asterism-model-io-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function weightBytes(model: tf.LayersModel): Buffer[] {
  return model.getWeights().map((w) => Buffer.from(Float32Array.from(w.dataSync()).buffer));
}

describe('model folders', () => {
  it('round-trips a Layers model exactly (topology, every weight bit, predictions)', async () => {
    const g = buildGenerator({ size: 24, seed: 9 });
    const folder = path.join(dir, 'generator');
    await saveModel(g, folder);
    const back = await loadModel(folder);
    expect(back.layers.map((l) => l.getClassName())).toEqual(g.layers.map((l) => l.getClassName()));
    const a = weightBytes(g);
    const b = weightBytes(back);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect((b[i] as Buffer).equals(a[i] as Buffer)).toBe(true);
    const z = tf.randomNormal([2, 100], 0, 1, 'float32', 1);
    const p = Buffer.from((g.predict(z) as tf.Tensor).dataSync().buffer);
    const q = Buffer.from((back.predict(z) as tf.Tensor).dataSync().buffer);
    expect(q.equals(p)).toBe(true);
  });

  it('writes the layout tfjs itself loads: tf.loadLayersModel over HTTP from 127.0.0.1', async () => {
    const g = buildGenerator({ size: 24, seed: 4 });
    const folder = path.join(dir, 'served');
    await saveModel(g, folder);
    const server: Server = createServer((req, res) => {
      const name = path.basename(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      readFile(path.join(folder, name)).then(
        (body) => res.writeHead(200).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const loaded = await tf.loadLayersModel(`http://127.0.0.1:${port}/${MODEL_JSON}`);
      const a = weightBytes(g);
      const b = weightBytes(loaded);
      expect(b.every((w, i) => w.equals(a[i] as Buffer))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('names the missing model.json', async () => {
    const folder = path.join(dir, 'absent');
    await expect(fileIO(folder).load?.()).rejects.toThrow(ModelIOError);
    await expect(fileIO(folder).load?.()).rejects.toThrow(path.join(folder, MODEL_JSON));
  });

  it('names a corrupt model.json and a truncated shard', async () => {
    const g = buildGenerator({ size: 24, seed: 5 });
    const folder = path.join(dir, 'damaged');
    await saveModel(g, folder);
    const json = await readFile(path.join(folder, MODEL_JSON), 'utf8');
    const shard = path.join(folder, 'group1-shard1of1.bin');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.length - 8));
    await expect(loadModel(folder)).rejects.toThrow(/truncated or corrupt/);
    await writeFile(path.join(folder, MODEL_JSON), json.slice(0, 40));
    const err = await loadModel(folder).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIOError);
    expect((err as ModelIOError).file).toBe(path.join(folder, MODEL_JSON));
    expect((err as Error).message).toMatch(/is not valid JSON/);
  });
});
