/** U-Net defaults that steps need without loading TensorFlow.js (e.g. in params schemas). */

/** Channels per level, shallowest first: 4 levels, as `../shared/peers/torch_unet.py`. */
export const DEFAULT_UNET_WIDTHS: readonly number[] = [16, 32, 64, 128];
