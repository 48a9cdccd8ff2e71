#!/usr/bin/python3
"""Independent numpy implementation of ZOGY (Zackay, Ofek & Gal-Yam 2016, ApJ 830, 27).

Written from the paper's equations (13-17, 25-26, 30-33, 41-42) as DESIGN.md states them, to check
asterism's TypeScript implementation (steps/lib/zogy/) and to benchmark against it. It shares no
code with it: only the file layout below.

Input folder (all arrays little-endian float64, row-major, numpy [y, x] order):
  meta.json   {"width", "height", "psf_size", "sigma_n", "sigma_r", "F_n", "F_r",
               "gain_n", "gain_r", "sigma_x", "sigma_y"}
  N.f64, R.f64      background-subtracted new and reference images (height x width)
  Pn.f64, Pr.f64    PSF stamps (psf_size x psf_size, odd, centred on the middle pixel, unit sum)
Output (same folder): D.f64 (flux-normalised, D / F_D), S.f64, Scorr.f64, V.f64,
  kn.f64, kr.f64 (origin-centred, full size), PD.f64 (stamp, centred), result.json
  {"F_D", "F_S", "seconds"}.

Conventions (the same as asterism's, decided independently of its code):
  - PSF stamps are embedded in a full-size array with their centre moved to pixel (0, 0).
  - Pixel variance of each image: sigma^2 + max(image, 0) / gain (background plus source Poisson).
  - Derivatives for the astrometric term are spectral (multiplication by 2 pi i f), with the
    Nyquist frequency of an even axis set to zero.
Usage: zogy_numpy.py DIR [--repeat K]   (K timed repeats; the fastest is reported)
"""
import json
import sys
import time

import numpy as np


def embed_psf(stamp, shape):
    """Place a centred odd stamp into a zero array of `shape` with its centre at (0, 0)."""
    k = stamp.shape[0]
    full = np.zeros(shape)
    full[:k, :k] = stamp
    return np.roll(full, (-(k // 2), -(k // 2)), axis=(0, 1))


def spectral_derivative_factors(shape):
    """2 pi i f along y and x, with the Nyquist bin of even axes zeroed (rfft layout along x)."""
    h, w = shape
    fy = np.fft.fftfreq(h)
    if h % 2 == 0:
        fy[h // 2] = 0.0
    fx = np.fft.rfftfreq(w)
    if w % 2 == 0:
        fx[-1] = 0.0
    return (2j * np.pi * fy)[:, None], (2j * np.pi * fx)[None, :]


def zogy(N, R, Pn_stamp, Pr_stamp, m):
    shape = N.shape
    sigma_n, sigma_r = m["sigma_n"], m["sigma_r"]
    F_n, F_r = m["F_n"], m["F_r"]
    rfft2, irfft2 = np.fft.rfft2, np.fft.irfft2

    def inv(a):
        return irfft2(a, s=shape)

    N_hat = rfft2(N)
    R_hat = rfft2(R)
    Pn_hat = rfft2(embed_psf(Pn_stamp, shape))
    Pr_hat = rfft2(embed_psf(Pr_stamp, shape))
    abs2_Pn = np.abs(Pn_hat) ** 2
    abs2_Pr = np.abs(Pr_hat) ** 2

    den = sigma_n**2 * F_r**2 * abs2_Pr + sigma_r**2 * F_n**2 * abs2_Pn
    sqrt_den = np.sqrt(den)
    D_hat = (F_r * Pr_hat * N_hat - F_n * Pn_hat * R_hat) / sqrt_den  # eq. 13
    F_D = F_r * F_n / np.sqrt(sigma_n**2 * F_r**2 + sigma_r**2 * F_n**2)  # eq. 15
    PD_hat = F_r * F_n * Pr_hat * Pn_hat / (F_D * sqrt_den)  # eq. 14
    S_hat = F_D * D_hat * np.conj(PD_hat)  # eq. 17
    kn_hat = F_n * F_r**2 * np.conj(Pn_hat) * abs2_Pr / den  # eq. 28
    kr_hat = F_r * F_n**2 * np.conj(Pr_hat) * abs2_Pn / den  # eq. 29

    D = inv(D_hat)
    S = inv(S_hat)
    kn = inv(kn_hat)
    kr = inv(kr_hat)

    # Eqs. 26-27: variance of S_N and S_R from per-pixel image variance convolved with k^2.
    V_n = sigma_n**2 + np.maximum(N, 0.0) / m["gain_n"]
    V_r = sigma_r**2 + np.maximum(R, 0.0) / m["gain_r"]
    V_S = inv(rfft2(V_n) * rfft2(kn**2) + rfft2(V_r) * rfft2(kr**2))  # V(S_N) + V(S_R)

    # Eqs. 30-33: astrometric noise from the gradients of S_N = kn (x) N and S_R = kr (x) R.
    dy, dx = spectral_derivative_factors(shape)
    SN_hat = kn_hat * N_hat
    SR_hat = kr_hat * R_hat
    V_ast = (
        m["sigma_x"] ** 2 * (inv(dx * SN_hat) ** 2 + inv(dx * SR_hat) ** 2)
        + m["sigma_y"] ** 2 * (inv(dy * SN_hat) ** 2 + inv(dy * SR_hat) ** 2)
    )
    V = V_S + V_ast
    S_corr = S / np.sqrt(V)  # eq. 25

    PD_origin = inv(PD_hat)
    PD = np.fft.fftshift(PD_origin)
    F_S = F_D**2 * np.sum(PD_origin**2)  # eq. 41
    return {"D": D / F_D, "S": S, "Scorr": S_corr, "V": V, "kn": kn, "kr": kr, "PD": PD}, F_D, F_S


def main():
    folder = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    with open(f"{folder}/meta.json") as f:
        m = json.load(f)
    h, w, k = m["height"], m["width"], m["psf_size"]

    def load(name, shape):
        return np.fromfile(f"{folder}/{name}.f64", dtype="<f8").reshape(shape)

    N, R = load("N", (h, w)), load("R", (h, w))
    Pn, Pr = load("Pn", (k, k)), load("Pr", (k, k))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out, F_D, F_S = zogy(N, R, Pn, Pr, m)
        best = min(best, time.perf_counter() - t0)
    # PD is returned as a centred full-size array; keep the central stamp like asterism does.
    cy, cx = h // 2, w // 2
    out["PD"] = out["PD"][cy - k // 2 : cy + k // 2 + 1, cx - k // 2 : cx + k // 2 + 1]
    for name, array in out.items():
        np.ascontiguousarray(array, dtype="<f8").tofile(f"{folder}/{name}.f64")
    with open(f"{folder}/result.json", "w") as f:
        json.dump({"F_D": F_D, "F_S": F_S, "seconds": best}, f)


if __name__ == "__main__":
    main()
