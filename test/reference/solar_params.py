#!/usr/bin/python3
"""Independent numpy/scipy reference for steps/lib/solar/physics.ts.

Written from the formulas of Chatterjee, Munoz-Jaramillo & Malanushenko (2025) as their code
computes them (calculate_params / calculate_srij_R), in kG units, threshold 0.15:
  TUF  = sum|s| / Npix
  PSEP = |c_N - c_P| / sqrt(W^2 + H^2), c = field-weighted centroid of s > th (P), s < -th (N)
  R    = sum |s| over binary_dilation(P, 7x7) & binary_dilation(N, 7x7)
  tilt = degrees(arcsin((c_N,y - c_P,y) / |c_N - c_P|))
plus flux_pos, flux_neg, area, net_flux, dipole_ew and flag (see physics.ts).

Usage: solar_params.py STACK.f64 N H W OUT.json
STACK.f64 holds N*H*W little-endian float64 values, row-major (N, H, W).
Writes a JSON list of N objects with the CSV column names.
"""
import json
import sys

import numpy as np
from scipy.ndimage import binary_dilation

TH = 0.15


def params(s):
    s = np.nan_to_num(s, nan=0.0)
    H, W = s.shape
    npix = H * W
    pos = s > TH
    neg = s < -TH
    ys, xs = np.indices(s.shape)
    out = {
        'tuf': float(np.abs(s).sum() / npix),
        'flux_pos': float(s[pos].sum() / npix),
        'flux_neg': float(-s[neg].sum() / npix),
        'area': float((pos.sum() + neg.sum()) / npix),
        'net_flux': float(s.sum() / npix),
        'dipole_ew': float((s * (xs - (W - 1) / 2)).sum() / (npix * W)),
        'flag': int((0 if pos.any() else 1) | (0 if neg.any() else 2)),
        'psep': 0.0,
        'r': 0.0,
        'tilt': 0.0,
    }
    if out['flag'] == 0:
        cpx = (xs[pos] * s[pos]).sum() / s[pos].sum()
        cpy = (ys[pos] * s[pos]).sum() / s[pos].sum()
        cnx = (xs[neg] * s[neg]).sum() / s[neg].sum()
        cny = (ys[neg] * s[neg]).sum() / s[neg].sum()
        dis = np.sqrt((cnx - cpx) ** 2 + (cny - cpy) ** 2)
        out['psep'] = float(dis / np.sqrt(W * W + H * H))
        out['tilt'] = float(np.degrees(np.arcsin((cny - cpy) / dis))) if dis > 0 else 0.0
        k = np.ones((7, 7), dtype=bool)
        both = binary_dilation(pos, structure=k) & binary_dilation(neg, structure=k)
        out['r'] = float(np.abs(s[both]).sum())
    return out


def main():
    path, n, h, w, out_path = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5]
    stack = np.fromfile(path, dtype='<f8').reshape(n, h, w)
    with open(out_path, 'w') as f:
        json.dump([params(stack[i]) for i in range(n)], f)


if __name__ == '__main__':
    main()
