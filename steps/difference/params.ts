/** Parameters of `difference` (JSON Schema, `as const` so `ctx.params` is typed from it). */
export const differenceParams = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reference: {
      type: 'string',
      description: 'Reference image set: a folder of <field>.fits (or one FITS file).',
    },
    science: {
      type: 'string',
      description: 'Science (new) image set, paired with the reference by file name.',
    },
    threshold: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 5,
      description: '|S_corr| detection threshold.',
    },
    sign: {
      enum: ['positive', 'negative', 'both'],
      default: 'both',
      description: 'Detect brightenings (positive S_corr), fadings (negative) or both.',
    },
    registration: {
      enum: ['auto', 'xcorr', 'wcs', 'none'],
      default: 'auto',
      description:
        'auto: WCS offset when both images have one, refined by cross-correlation and matched stars; ' +
        'xcorr: cross-correlation and stars only; wcs: the WCS offset only; none: already aligned.',
    },
    psf: {
      enum: ['auto', 'stars', 'header'],
      default: 'auto',
      description:
        'stars: estimate each epoch PSF from its stars; header: a Moffat from FWHM/MOFFBETA keywords; ' +
        'auto: stars, or the header when an image has too few stars.',
    },
    fwhmRef: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Given reference FWHM (px): overrides `psf`.',
    },
    fwhmSci: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Given science FWHM (px): overrides `psf`.',
    },
    moffatBeta: {
      type: 'number',
      exclusiveMinimum: 1,
      default: 3.5,
      description: 'Moffat β for a given FWHM (and for header PSFs without MOFFBETA).',
    },
    saturation: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Saturation level (ADU). Default: SATURATE keyword, else a plateau at the image maximum.',
    },
    gain: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Gain (e-/ADU). Default: GAIN keyword, else sky / σ² (a Poisson-limited sky).',
    },
    astrometricNoise: {
      type: 'number',
      minimum: 0,
      description: 'Astrometric noise σx = σy (px). Default: scatter of matched star offsets.',
    },
    tileSize: {
      type: 'integer',
      minimum: 64,
      default: 512,
      description: 'Sub-image side (px) incl. overlap; each tile gets its own PSFs when it has ≥ 5 stars.',
    },
    maskGrow: {
      type: 'integer',
      minimum: 0,
      default: 2,
      description: 'Grow masks of bad pixels by this (px).',
    },
    seed: {
      type: 'integer',
      description: 'Unused (the step is deterministic); accepted for uniform recipes.',
    },
  },
  required: [
    'reference',
    'science',
    'threshold',
    'sign',
    'registration',
    'psf',
    'moffatBeta',
    'tileSize',
    'maskGrow',
  ],
} as const;
