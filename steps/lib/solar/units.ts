/**
 * Solar units. Heliographic degrees to Mm use the IAU nominal solar radius
 * (R☉ = 695.7 Mm, IAU 2015 Resolution B3): one degree of a great circle is 2πR☉/360 Mm.
 */

/** IAU 2015 nominal solar radius, Mm. */
export const SOLAR_RADIUS_MM = 695.7;

/** Mm per heliographic degree at disc centre (CEA pixel scale conversion). */
export const MM_PER_HELIOGRAPHIC_DEG = (2 * Math.PI * SOLAR_RADIUS_MM) / 360;

/** cm² per Mm². */
export const CM2_PER_MM2 = 1e16;
