import type { Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';

/** One class's accuracy for the ANN and the SNN at one (method, T), from their confusion counts. */
export interface ClassRow {
  readonly label: number;
  /** Samples of this class (the ANN's row sum; the SNN's rows hold it once per seed). */
  readonly samples: number;
  readonly ann: number;
  readonly snn: number;
}

export interface ClassBreakdown {
  readonly classes: number;
  readonly rows: readonly ClassRow[];
  /** The SNN's confusion counts (row: label, column: prediction), summed over its seeds. */
  readonly confusion: readonly number[];
  readonly seeds: number;
}

/**
 * Per-class accuracy of the ANN and of the SNN at (method, T), for the classes that have samples,
 * or undefined when the run holds no counts for it (results stored before they were counted).
 */
export function classBreakdown(result: RunResult, method: Method, T: number): ClassBreakdown | undefined {
  const row = result.results.find((r) => r.method === method && r.T === T);
  const snn = row?.confusion;
  const ann = result.ann.confusion;
  if (row === undefined || snn === undefined || ann === undefined || snn.length !== ann.length) return undefined;
  const K = Math.round(Math.sqrt(snn.length));
  const rowSum = (m: readonly number[], c: number): number => {
    let s = 0;
    for (let j = 0; j < K; j++) s += m[c * K + j]!;
    return s;
  };
  const rows: ClassRow[] = [];
  for (let c = 0; c < K; c++) {
    const n = rowSum(ann, c);
    const ns = rowSum(snn, c);
    if (n === 0) continue;
    rows.push({ label: c, samples: n, ann: ann[c * K + c]! / n, snn: ns > 0 ? snn[c * K + c]! / ns : 0 });
  }
  return { classes: K, rows, confusion: snn, seeds: row.seeds };
}
