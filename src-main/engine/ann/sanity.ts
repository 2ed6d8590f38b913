/**
 * A check on the ANN before any spiking number is read: an ANN near chance, or one whose output
 * does not depend on its input, makes every SNN figure after it meaningless, and the cause is
 * almost always how the data reaches the model rather than the model itself.
 */
export interface AnnSanityInput {
  readonly accuracy: number;
  /** Classes in the evaluated labels. */
  readonly classes: number;
  readonly samples: number;
  /** Every evaluated sample gave the same logits (to float32 equality). */
  readonly constantOutput: boolean;
}

/** Accuracy at or below this multiple of chance (1/classes) counts as "near chance". */
export const NEAR_CHANCE_FACTOR = 1.5;

const CAUSES =
  'likely causes: the input scaling (scale/offset: does the model expect [0, 1], [0, 255] or normalised inputs?), the channel order (RGB/BGR, greyscale/colour) or the layout (NCHW/NHWC); every SNN accuracy below inherits this';

export function annSanityWarning(check: AnnSanityInput): string | undefined {
  if (check.samples < 2) return undefined;
  if (check.constantOutput) {
    return `ANN OUTPUT IS CONSTANT: every one of the ${check.samples} evaluated samples gives the same logits, so the model ignores its input; ${CAUSES}`;
  }
  const chance = 1 / Math.max(check.classes, 1);
  if (check.classes > 1 && check.accuracy <= NEAR_CHANCE_FACTOR * chance) {
    return `ANN AT CHANCE: ${(100 * check.accuracy).toFixed(2)}% on ${check.samples} samples of ${check.classes} classes (chance ${(100 * chance).toFixed(2)}%); ${CAUSES}`;
  }
  return undefined;
}
