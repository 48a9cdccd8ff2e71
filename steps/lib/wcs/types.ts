/** The celestial TAN (gnomonic) world coordinate system, as FITS describes it (Calabretta & Greisen 2002). */

/** A 2×2 matrix, row-major: `[[m11, m12], [m21, m22]]`. */
export type Matrix2 = readonly [readonly [number, number], readonly [number, number]];

export interface TanWcs {
  /** Reference pixel in FITS convention (1-based; the centre of the first pixel is 1.0). */
  readonly crpix: readonly [number, number];
  /** Celestial coordinates of the reference point, degrees: [longitude (RA), latitude (Dec)]. */
  readonly crval: readonly [number, number];
  /**
   * Linear transformation (CDi_j, degrees per pixel): intermediate world coordinates
   * x_i = Σ_j CD_ij (p_j − CRPIX_j) (Calabretta & Greisen eq. 1, with PC·CDELT folded in).
   */
  readonly cd: Matrix2;
  /** Native longitude of the celestial pole φ_p, degrees (default 180° for TAN unless CRVAL2 = 90°). */
  readonly lonpole: number;
  /** CTYPE1 and CTYPE2, e.g. `RA---TAN`, `DEC--TAN`. */
  readonly ctype: readonly [string, string];
  /** Celestial reference system, e.g. `ICRS`, `FK5`. */
  readonly radesys?: string;
  readonly equinox?: number;
  /** True when axis 1 is the latitude (CTYPE1 = `DEC--TAN`): world coordinates are swapped on output. */
  readonly swapped?: boolean;
}

/** A position on the sky, degrees. */
export interface SkyCoord {
  readonly ra: number;
  readonly dec: number;
}

/** A 0-based image position (numpy/`Image` convention: the centre of pixel data[0] is (0, 0)). */
export interface PixelCoord {
  readonly x: number;
  readonly y: number;
}
