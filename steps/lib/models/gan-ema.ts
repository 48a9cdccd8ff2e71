/**
 * Exponential moving average of the generator's weights, used for sampling and evaluation
 * (Yazıcı et al. 2019, "The unusual effectiveness of averaging in GAN training"; Karras et al.
 * 2018): θ̄ ← β·θ̄ + (1 − β)·θ after every generator step. The averaged generator is a second
 * Layers model of the same architecture, so it saves and loads like the trained one.
 */
import * as tf from '@tensorflow/tfjs';

/** The averaged copy of a generator. */
export class GeneratorEma {
  /** The model holding the averaged weights. */
  readonly model: tf.LayersModel;
  readonly #source: tf.LayersModel;
  readonly #decay: number;

  /**
   * @param source the generator being trained
   * @param copy a freshly built model of the same architecture (its weights are overwritten)
   * @param decay β in [0, 1): the weight of the running average per update
   */
  constructor(source: tf.LayersModel, copy: tf.LayersModel, decay: number) {
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`EMA decay must be in [0, 1), got ${decay}`);
    this.#source = source;
    this.model = copy;
    this.#decay = decay;
    copy.setWeights(source.getWeights());
  }

  /** θ̄ ← β·θ̄ + (1 − β)·θ for every weight (trainable or not). */
  update(): void {
    const targets = this.model.weights;
    const sources = this.#source.weights;
    tf.tidy(() => {
      targets.forEach((t, i) => {
        const s = sources[i];
        if (s === undefined) throw new RangeError('EMA copy and generator differ in their weights');
        const v = t.read() as tf.Variable;
        v.assign(tf.add(tf.mul(v, this.#decay), tf.mul(s.read(), 1 - this.#decay)));
      });
    });
  }
}
