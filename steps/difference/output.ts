/** Writing one field's ZOGY result as a multi-extension FITS file. */
import type { StepProvenance } from '../../engine/index.js';
import { type CardInit, type Header, provenanceCards, writeFits } from '../lib/fits/index.js';
import { wcsOf } from '../lib/imageset/header-info.js';
import { wcsCards } from '../lib/wcs/index.js';
import type { SubtractResult } from '../lib/zogy/subtract.js';

/** The ZOGY keywords (all within 8 characters). */
function zogyCards(r: SubtractResult): CardInit[] {
  return [
    {
      keyword: 'ZOGY_FD',
      value: r.fluxZeroPointDiff,
      comment: 'F_D, flux zero-point of D (eq. 15)',
      real: true,
    },
    {
      keyword: 'ZOGY_SIGN',
      value: r.sigmaNew,
      comment: '[adu] background noise of the science image',
      real: true,
    },
    {
      keyword: 'ZOGY_SIGR',
      value: r.sigmaRef,
      comment: '[adu] background noise of the reference',
      real: true,
    },
    { keyword: 'ZOGY_DX', value: r.shiftX, comment: '[px] science = reference shifted by this', real: true },
    { keyword: 'ZOGY_DY', value: r.shiftY, comment: '[px] science = reference shifted by this', real: true },
    { keyword: 'ZOGY_SAX', value: r.sigmaAstX, comment: '[px] astrometric noise sigma_x', real: true },
    { keyword: 'ZOGY_SAY', value: r.sigmaAstY, comment: '[px] astrometric noise sigma_y', real: true },
    { keyword: 'ZOGY_FWN', value: r.fwhmNew, comment: '[px] PSF FWHM of the science image', real: true },
    { keyword: 'ZOGY_FWR', value: r.fwhmRef, comment: '[px] PSF FWHM of the reference', real: true },
    { keyword: 'ZOGY_NST', value: r.matchedStars, comment: 'stars matched for shift, ratio, sigma_ast' },
  ];
}

/**
 * Write `path`: primary HDU (keywords only), DIFF = D/F_D in science ADU (float32), SCORR, PSF_D
 * (the unit-sum P_D stamp), MASK (uint8, 1 where the outputs are NaN because masked data could
 * reach them). The image extensions carry the science image's WCS.
 */
export function writeDifference(
  path: string,
  r: SubtractResult,
  scienceHeader: Header,
  provenance: StepProvenance,
): void {
  const wcs = wcsOf(scienceHeader);
  const sky: CardInit[] = wcs === undefined ? [] : wcsCards(wcs);
  const prov = provenanceCards(provenance);
  // ZOGY_FRATIO has 11 characters: the FITS writer uses the ESO HIERARCH convention for it.
  const ratio: CardInit = { keyword: 'ZOGY_FRATIO', value: r.fluxRatio, comment: 'F_r / F_n', real: true };
  const zogy = [...zogyCards(r), ratio];
  const { width, height } = r.difference;
  writeFits(path, [
    { cards: [...zogy, ...prov] },
    { data: r.difference, bitpix: -32, extname: 'DIFF', bunit: 'adu', cards: [...sky, ...zogy, ...prov] },
    { data: r.scoreCorr, bitpix: -32, extname: 'SCORR', cards: [...sky, ...prov] },
    { data: r.psfDiff, bitpix: -32, extname: 'PSF_D', cards: prov },
    {
      data: { axes: [width, height], data: r.invalid },
      bitpix: 8,
      extname: 'MASK',
      cards: [...sky, ...prov],
    },
  ]);
}
