/**
 * Simulated two-epoch observations of a star field: the scene (stars from a power-law luminosity
 * function, Sérsic host galaxies) is drawn once per field and observed twice, each epoch with its
 * own seeing, sky, transparency and a small pointing offset, through a CCD with Poisson and read
 * noise, a gain and saturation.
 */
import { convolve } from '../image/convolve.js';
import type { Image } from '../image/types.js';
import type { Random } from '../random.js';
import { type Detector, expose } from './detector.js';
import { drawMagnitude, type LuminosityFunction, magnitudeToFlux } from './luminosity.js';
import { addSersic, type SersicGalaxy } from './sersic.js';

/** A star of the scene, position in reference-frame pixels, flux in e⁻ at unit transparency. */
export interface SceneStar {
  readonly x: number;
  readonly y: number;
  readonly mag: number;
  readonly fluxE: number;
}

/** A galaxy of the scene (flux in e⁻ at unit transparency), with its magnitude. */
export interface SceneGalaxy extends SersicGalaxy {
  readonly mag: number;
}

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly stars: readonly SceneStar[];
  readonly galaxies: readonly SceneGalaxy[];
}

export interface SceneOptions {
  readonly width: number;
  readonly height: number;
  readonly stars: number;
  readonly galaxies: number;
  readonly luminosity: LuminosityFunction;
  /** Galaxy magnitudes are drawn uniformly in this range. */
  readonly galaxyMagRange: readonly [number, number];
  /** Half-light radii in pixels, drawn uniformly. */
  readonly galaxyReffRangePx: readonly [number, number];
  /** Magnitude giving 1 e⁻ in the exposure. */
  readonly zeroPointMag: number;
}

/** Draw a scene. Positions are uniform over the frame (stars may fall half outside it). */
export function drawScene(options: SceneOptions, rng: Random): Scene {
  const { width, height } = options;
  const stars: SceneStar[] = [];
  for (let i = 0; i < options.stars; i++) {
    const mag = drawMagnitude(options.luminosity, rng);
    stars.push({
      x: rng.uniformIn(-0.5, width - 0.5),
      y: rng.uniformIn(-0.5, height - 0.5),
      mag,
      fluxE: magnitudeToFlux(mag, options.zeroPointMag),
    });
  }
  const galaxies: SceneGalaxy[] = [];
  const margin = Math.min(width, height) * 0.1;
  for (let i = 0; i < options.galaxies; i++) {
    const mag = rng.uniformIn(options.galaxyMagRange[0], options.galaxyMagRange[1]);
    galaxies.push({
      x: rng.uniformIn(margin, width - margin),
      y: rng.uniformIn(margin, height - margin),
      mag,
      flux: magnitudeToFlux(mag, options.zeroPointMag),
      // Discs and spheroids: n from 0.8 to 4.
      n: rng.uniformIn(0.8, 4),
      rEffPx: rng.uniformIn(options.galaxyReffRangePx[0], options.galaxyReffRangePx[1]),
      axisRatio: rng.uniformIn(0.35, 1),
      angleRad: rng.uniformIn(0, Math.PI),
    });
  }
  return { width, height, stars, galaxies };
}

/** How one epoch sees the scene. */
export interface EpochConditions {
  /** Renders flux × PSF at a sub-pixel position (the epoch's seeing). */
  readonly renderPsf: (image: Image, x: number, y: number, flux: number) => void;
  /** The same PSF as a centred odd stamp (unit sum), to convolve extended sources. */
  readonly psfStamp: Image;
  /** Sky level in ADU per pixel. */
  readonly skyAdu: number;
  /** Fraction of the scene's flux that arrives (clouds, airmass). */
  readonly transparency: number;
  /** Pointing offset: a scene position (x, y) appears at (x + dx, y + dy). */
  readonly offsetX: number;
  readonly offsetY: number;
  readonly detector: Detector;
}

/** The noiseless expected image of an epoch in e⁻ (sky included). */
export function expectedImage(scene: Scene, epoch: EpochConditions): Image {
  const { width, height } = scene;
  const g = epoch.detector.gainEPerAdu;
  const galaxiesE: Image = { width, height, data: new Float64Array(width * height) };
  for (const galaxy of scene.galaxies) {
    addSersic(galaxiesE, {
      ...galaxy,
      x: galaxy.x + epoch.offsetX,
      y: galaxy.y + epoch.offsetY,
      flux: galaxy.flux * epoch.transparency,
    });
  }
  const image: Image =
    scene.galaxies.length > 0
      ? convolve(galaxiesE, epoch.psfStamp)
      : { width, height, data: new Float64Array(width * height) };
  for (const star of scene.stars) {
    epoch.renderPsf(image, star.x + epoch.offsetX, star.y + epoch.offsetY, star.fluxE * epoch.transparency);
  }
  const skyE = epoch.skyAdu * g;
  for (let i = 0; i < image.data.length; i++) image.data[i]! += skyE;
  return image;
}

/** One noisy exposure of the scene in ADU. */
export function observe(scene: Scene, epoch: EpochConditions, rng: Random): Image {
  return expose(expectedImage(scene, epoch), epoch.detector, rng);
}
