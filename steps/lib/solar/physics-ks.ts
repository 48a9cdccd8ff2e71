/**
 * How well generated patches match the training set in physics: the two-sample KS statistic of
 * TUF, R, PSEP and net flux between the two sets, and its maximum (train-gan's default epoch
 * selection, smaller is better).
 */
import { ksStatistic } from '../stats/ks.js';
import type { PhysicalParameters } from './physics.js';

/** The parameters compared. */
export const KS_PARAMETERS = ['tuf', 'r', 'psep', 'net_flux'] as const;

/** KS statistic per parameter and the largest of them. */
export type PhysicsKs = Record<(typeof KS_PARAMETERS)[number], number> & { readonly max: number };

/** Compare generated with training parameters. */
export function physicsKs(
  generated: readonly PhysicalParameters[],
  training: readonly PhysicalParameters[],
): PhysicsKs {
  const out = { tuf: 0, r: 0, psep: 0, net_flux: 0, max: 0 };
  for (const name of KS_PARAMETERS) {
    const d = ksStatistic(
      generated.map((p) => p[name]),
      training.map((p) => p[name]),
    );
    out[name] = d;
    out.max = Math.max(out.max, d);
  }
  return out;
}
