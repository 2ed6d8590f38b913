/** Index of the largest value in each row of a row-major [rows, classes] array (first on ties). */
export function argmaxRows(values: ArrayLike<number>, classes: number): Int32Array {
  const rows = Math.floor(values.length / classes);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    let bestValue = values[base]!;
    for (let c = 1; c < classes; c++) {
      const v = values[base + c]!;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Whether the label is among the k largest scores of the row (ties counted against it). */
export function inTopK(values: ArrayLike<number>, classes: number, row: number, label: number, k: number): boolean {
  const base = row * classes;
  const target = values[base + label]!;
  let larger = 0;
  for (let c = 0; c < classes; c++) {
    if (c !== label && values[base + c]! >= target) larger++;
  }
  return larger < k;
}

/** Mean and sample standard deviation over seeds: defined once, in common (the misalignment
 * table computes it too). */
export { meanStd } from '../../common/statistics';

/** K × K counts of (label, prediction) over the samples at `indices` (row: the label), row-major. */
export function confusionCounts(predictions: Int32Array, indices: Int32Array, labels: ArrayLike<number>, K: number): number[] {
  const counts = new Array<number>(K * K).fill(0);
  for (let i = 0; i < indices.length; i++) counts[labels[indices[i]!]! * K + predictions[i]!]!++;
  return counts;
}
