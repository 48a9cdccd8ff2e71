/**
 * Injection into one science image: where each object goes, how bright it is, its signal, its
 * mask footprint and its truth record. Objects do not overlap each other (≥ 3 FWHM apart) and avoid
 * masked (saturated, NaN) pixels and the image edge.
 */
import type { Image } from '../image/types.js';
import type { Random } from '../random.js';
import {
  addCosmicRay,
  addDipole,
  addHotPixel,
  addPointSource,
  addTrail,
  fluxForSnr,
  type PsfRenderer,
  snrForFlux,
  sumOfSquares,
} from './inject-models.js';

export type InjectKind = 'supernova' | 'variable' | 'moving' | 'cosmic_ray' | 'hot_pixel' | 'dipole';

/** One injected object (the `truth` catalog row). */
export interface TruthRecord {
  readonly x: number;
  readonly y: number;
  readonly kind: InjectKind;
  /** 1 for astrophysical transients, 0 for artifacts. */
  readonly real: 0 | 1;
  /** Injected flux (ADU): total for sources and tracks, the change for variables, the star's flux for dipoles. */
  readonly flux: number;
  /** PSF-photometry S/N of the injected signal on the image's background (and its own photon noise). */
  readonly snr: number;
}

/** A catalogued star or galaxy in the science image. */
export interface CatalogSource {
  readonly x: number;
  readonly y: number;
  readonly flux: number;
  readonly kind: 'star' | 'galaxy';
  readonly rEffPx?: number;
}

export interface InjectPlan {
  readonly counts: Readonly<Record<InjectKind, number>>;
  /** Draws a transient flux (ADU) for a model with Σ M² = `sumSq`. */
  readonly drawFlux: (rng: Random, sumSq: number) => number;
  readonly hostFraction: number;
  readonly trailLengthPx: readonly [number, number];
  readonly maskThreshold: number;
  readonly photonNoise: boolean;
}

export interface FieldContext {
  readonly image: Image;
  /** 1 where pixels are unusable. */
  readonly badMask: Uint8Array;
  readonly sigma: number;
  readonly gain: number;
  readonly fwhmPx: number;
  readonly psf: PsfRenderer;
  readonly catalog: readonly CatalogSource[];
}

/** The result: the image with injections, the uint8 mask (0/1/2), the truth records. */
export interface InjectedField {
  readonly image: Image;
  readonly mask: Uint8Array;
  readonly truth: TruthRecord[];
  readonly skipped: string[];
}

function unitSumSq(render: (img: Image) => void, size: number): number {
  const img: Image = { width: size, height: size, data: new Float64Array(size * size) };
  render(img);
  let sum = 0;
  for (const v of img.data) sum += v;
  const ss = sumOfSquares(img);
  return Math.abs(sum) > 1e-12 ? ss / (sum * sum) : ss;
}

/** Inject the plan's objects into one field. */
export function injectField(ctx: FieldContext, plan: InjectPlan, rng: Random): InjectedField {
  const { width, height } = ctx.image;
  const out = Float64Array.from(ctx.image.data);
  const mask = new Uint8Array(width * height);
  const truth: TruthRecord[] = [];
  const skipped: string[] = [];
  const margin = Math.ceil(2 * ctx.fwhmPx) + 3;
  const minSep = 3 * ctx.fwhmPx;
  const taken: [number, number][] = [];
  const free = (x: number, y: number, extra = 0): boolean => {
    if (
      x < margin + extra ||
      y < margin + extra ||
      x > width - 1 - margin - extra ||
      y > height - 1 - margin - extra
    )
      return false;
    if (ctx.badMask[Math.round(y) * width + Math.round(x)]) return false;
    return taken.every(([tx, ty]) => Math.hypot(tx - x, ty - y) >= minSep + extra);
  };
  const randomPosition = (extra = 0): [number, number] | undefined => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const x = rng.uniformIn(margin, width - 1 - margin);
      const y = rng.uniformIn(margin, height - 1 - margin);
      if (free(x, y, extra)) return [x, y];
    }
    return undefined;
  };
  const stampSize = 2 * Math.ceil(4 * ctx.fwhmPx) + 1;
  const c = (stampSize - 1) / 2;
  const pointSumSq = unitSumSq((img) => addPointSource(img, ctx.psf, c, c, 1), stampSize);

  const commit = (
    kind: InjectKind,
    real: 0 | 1,
    x: number,
    y: number,
    flux: number,
    sumSq: number,
    draw: (img: Image) => void,
  ) => {
    const layer: Image = { width, height, data: new Float64Array(width * height) };
    draw(layer);
    let peak = 0;
    let peakIndex = -1;
    for (let i = 0; i < layer.data.length; i++) {
      const a = Math.abs(layer.data[i]!);
      if (a > peak) {
        peak = a;
        peakIndex = i;
      }
    }
    const label = real === 1 ? 1 : 2;
    for (let i = 0; i < layer.data.length; i++) {
      let v = layer.data[i]!;
      if (v === 0) continue;
      if (plan.photonNoise && Number.isFinite(ctx.gain) && v > 0) v += Math.sqrt(v / ctx.gain) * rng.normal();
      out[i]! += v;
      if (Math.abs(layer.data[i]!) > plan.maskThreshold * ctx.sigma || i === peakIndex) {
        // A real transient wins over an artifact on shared pixels: it is what must be found.
        if (mask[i] === 0 || label === 1) mask[i] = label;
      }
    }
    taken.push([x, y]);
    truth.push({
      x,
      y,
      kind,
      real,
      flux,
      snr: snrForFlux(Math.abs(flux), ctx.sigma, sumSq, ctx.gain) * Math.sign(flux),
    });
  };

  const hosts = ctx.catalog.filter((s) => s.kind === 'galaxy');
  for (let k = 0; k < plan.counts.supernova; k++) {
    let pos: [number, number] | undefined;
    if (hosts.length > 0 && rng.uniform() < plan.hostFraction) {
      const host = hosts[rng.integer(hosts.length)]!;
      const r = (host.rEffPx ?? 2) * Math.abs(rng.normal());
      const a = rng.uniformIn(0, 2 * Math.PI);
      const x = host.x + r * Math.cos(a);
      const y = host.y + r * Math.sin(a);
      if (free(x, y)) pos = [x, y];
    }
    pos ??= randomPosition();
    if (pos === undefined) {
      skipped.push('supernova: no free position');
      continue;
    }
    const [x, y] = pos;
    const flux = plan.drawFlux(rng, pointSumSq);
    commit('supernova', 1, x, y, flux, pointSumSq, (img) => addPointSource(img, ctx.psf, x, y, flux));
  }

  const stars = ctx.catalog.filter((s) => s.kind === 'star' && free(s.x, s.y) && s.flux > 0);
  for (let k = 0; k < plan.counts.variable; k++) {
    const candidates = stars.filter((s) => free(s.x, s.y));
    if (candidates.length === 0) {
      skipped.push('variable: no catalogued star available (pass `catalog`)');
      continue;
    }
    const star = candidates[rng.integer(candidates.length)]!;
    let delta = plan.drawFlux(rng, pointSumSq);
    // Fading is limited by the star's own flux.
    if (rng.uniform() < 0.5 && delta < 0.9 * star.flux) delta = -delta;
    commit('variable', 1, star.x, star.y, delta, pointSumSq, (img) =>
      addPointSource(img, ctx.psf, star.x, star.y, delta),
    );
  }

  for (let k = 0; k < plan.counts.moving; k++) {
    const length = rng.uniformIn(plan.trailLengthPx[0], plan.trailLengthPx[1]);
    const pos = randomPosition(length / 2);
    if (pos === undefined) {
      skipped.push('moving: no free position');
      continue;
    }
    const [x, y] = pos;
    const angle = rng.uniformIn(0, Math.PI);
    const sumSq = unitSumSq(
      (img) => addTrail(img, ctx.psf, c + length, c + length, length, angle, 1),
      stampSize + 2 * Math.ceil(length),
    );
    const flux = plan.drawFlux(rng, sumSq);
    commit('moving', 1, x, y, flux, sumSq, (img) => addTrail(img, ctx.psf, x, y, length, angle, flux));
  }

  for (let k = 0; k < plan.counts.cosmic_ray; k++) {
    const length = rng.uniform() < 0.3 ? 0 : rng.uniformIn(2, 15);
    const pos = randomPosition(length / 2);
    if (pos === undefined) {
      skipped.push('cosmic_ray: no free position');
      continue;
    }
    const [x, y] = pos;
    const angle = rng.uniformIn(0, Math.PI);
    const crRng = rng.fork(`cr-${k}`);
    const size = 2 * Math.ceil(length) + 9;
    const sumSq = unitSumSq(
      (img) => addCosmicRay(img, size / 2, size / 2, length, angle, 1, crRng.fork('s')),
      size,
    );
    // Cosmic rays deposit more charge than the faint transients: 2–10× the transient flux draw.
    const flux = plan.drawFlux(rng, sumSq) * rng.uniformIn(2, 10);
    commit('cosmic_ray', 0, x, y, flux, sumSq, (img) => addCosmicRay(img, x, y, length, angle, flux, crRng));
  }

  for (let k = 0; k < plan.counts.hot_pixel; k++) {
    const pos = randomPosition();
    if (pos === undefined) {
      skipped.push('hot_pixel: no free position');
      continue;
    }
    const x = Math.round(pos[0]);
    const y = Math.round(pos[1]);
    const value = ctx.sigma * rng.uniformIn(10, 200);
    commit('hot_pixel', 0, x, y, value, 1, (img) => addHotPixel(img, x, y, value));
  }

  for (let k = 0; k < plan.counts.dipole; k++) {
    const candidates = stars.filter((s) => free(s.x, s.y));
    const offset = rng.uniformIn(0.2, 0.8);
    const angle = rng.uniformIn(0, 2 * Math.PI);
    const dx = offset * Math.cos(angle);
    const dy = offset * Math.sin(angle);
    const sumSq = unitSumSq((img) => addDipole(img, ctx.psf, c, c, dx, dy, 1), stampSize);
    let x: number;
    let y: number;
    let flux: number;
    if (candidates.length > 0) {
      const star = candidates[rng.integer(candidates.length)]!;
      [x, y, flux] = [star.x, star.y, star.flux];
    } else {
      const pos = randomPosition();
      if (pos === undefined) {
        skipped.push('dipole: no free position');
        continue;
      }
      [x, y] = pos;
      flux = plan.drawFlux(rng, sumSq);
    }
    commit('dipole', 0, x, y, flux, sumSq, (img) => addDipole(img, ctx.psf, x, y, dx, dy, flux));
  }
  return { image: { width, height, data: out }, mask, truth, skipped };
}

/** A flux drawer for a uniform S/N range on a background σ. */
export function snrFluxDrawer(snrRange: readonly [number, number], sigma: number, gain: number) {
  return (rng: Random, sumSq: number): number =>
    fluxForSnr(rng.uniformIn(snrRange[0], snrRange[1]), sigma, sumSq, gain);
}

/** A flux drawer for a uniform magnitude range with a zero point (magnitude of 1 ADU). */
export function magFluxDrawer(magRange: readonly [number, number], zeroPointMag: number) {
  return (rng: Random): number => 10 ** (-0.4 * (rng.uniformIn(magRange[0], magRange[1]) - zeroPointMag));
}
