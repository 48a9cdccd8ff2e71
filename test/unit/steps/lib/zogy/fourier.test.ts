import { describe, expect, it } from 'vitest';
import { nativeFft } from '../../../../../steps/lib/image/fft-native.js';
import { loadNativeModule } from '../../../../../steps/lib/native/addon.js';
import {
  type ZogySpectra,
  zogyFourier,
  zogyFourierIsNative,
  zogyFourierJs,
} from '../../../../../steps/lib/zogy/fourier.js';
import type { HalfSpectrum } from '../../../../../steps/lib/zogy/spectrum.js';

// The pass's agreement with numpy is checked end to end by core.test.ts (whichever path runs there);
// this pins the two paths to each other, so both inherit that check.
function randomSpectra(size: number, seed: number): ZogySpectra {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const spectrum = (): HalfSpectrum => ({
    width: size,
    height: 1,
    re: new Float64Array(size).map(random),
    im: new Float64Array(size).map(random),
  });
  const s = {
    N: spectrum(),
    R: spectrum(),
    Pn: spectrum(),
    Pr: spectrum(),
    D: spectrum(),
    kn: spectrum(),
    kr: spectrum(),
  };
  // Frequencies where both PSFs vanish take the den = 0 branch (every output 0).
  for (const k of [3, 17]) s.Pn.re[k] = s.Pn.im[k] = s.Pr.re[k] = s.Pr.im[k] = 0;
  return s;
}

function copy(s: ZogySpectra): ZogySpectra {
  const c = (x: HalfSpectrum): HalfSpectrum => ({
    ...x,
    re: Float64Array.from(x.re),
    im: Float64Array.from(x.im),
  });
  return { N: c(s.N), R: c(s.R), Pn: c(s.Pn), Pr: c(s.Pr), D: c(s.D), kn: c(s.kn), kr: c(s.kr) };
}

const constants = { Fn: 1, Fr: 0.9, sigmaN: 12, sigmaR: 8, F_D: 0.06 };

describe('zogyFourier', () => {
  it('runs natively when the addon with the native FFT is built', () => {
    const loaded = loadNativeModule();
    expect(zogyFourierIsNative()).toBe(!('error' in loaded) && nativeFft() !== undefined);
  });

  const run = zogyFourierIsNative() ? it : it.skip;
  run('gives the same bits natively as in TypeScript', () => {
    const input = randomSpectra(4099, 7);
    const native = copy(input);
    const js = copy(input);
    zogyFourier(native, constants);
    zogyFourierJs(js, constants);
    for (const key of ['N', 'R', 'Pn', 'Pr', 'D', 'kn', 'kr'] as const) {
      expect(native[key].re).toEqual(js[key].re);
      expect(native[key].im).toEqual(js[key].im);
    }
    expect(js.D.re[3]).toBe(0);
    expect(js.Pn.im[17]).toBe(0);
    // Something was computed: D̂ differs from its random initial value.
    expect(js.D.re[5]).not.toBe(input.D.re[5]);
  });
});
