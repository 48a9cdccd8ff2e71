/** The `directions.json` document written by fit-svm-directions and read by latent-traverse. */

/** One parameter's SVM. */
export interface ParameterDirection {
  readonly normal: number[];
  readonly intercept: number;
  readonly median: number;
  readonly trainAccuracy: number;
  readonly validationAccuracy: number;
  readonly nTrain: number;
  readonly nValidation: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** One conditional direction. */
export interface ConditionalDirection {
  readonly primal: string;
  readonly conditions: string[];
  readonly direction: number[];
  /** cos(angle) between the conditional direction and the primal normal. */
  readonly cosineWithPrimal: number;
}

/** The `directions.json` document. */
export interface DirectionsFile {
  readonly latentDim: number;
  readonly parameters: Record<string, ParameterDirection>;
  readonly conditional: Record<string, ConditionalDirection>;
}
