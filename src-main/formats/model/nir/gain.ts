/**
 * A factor per channel that a NIR graph and the workbench's IR apply in different places, carried
 * along until a weighted layer can absorb it (its input weights are multiplied by it):
 * - sum pooling in NIR is average pooling times k² in the IR;
 * - a spike is worth θ in the workbench's IF (the rate times θ stands for the ANN activation) and
 *   1 in NIR's IF, so what follows a spiking layer sees θ more in the IR than in NIR.
 * One value for every channel, or one per channel (the last IR axis, the first NIR axis).
 */
export type Gain = Float32Array;

export const UNIT_GAIN: Gain = Float32Array.of(1);

export function gainAt(g: Gain, channel: number): number {
  return g.length === 1 ? g[0]! : g[channel]!;
}

export function isUnitGain(g: Gain): boolean {
  return g.every((v) => v === 1);
}

export function sameGain(a: Gain, b: Gain): boolean {
  const n = Math.max(a.length, b.length);
  for (let c = 0; c < n; c++) if (gainAt(a, c) !== gainAt(b, c)) return false;
  return true;
}

export function scaleGain(g: Gain, k: number): Gain {
  return g.map((v) => v * k);
}

/** Elementwise product of two gains (one of them may be a single value). */
export function multiplyGains(a: Gain, b: Gain): Gain {
  const n = Math.max(a.length, b.length);
  return Float32Array.from({ length: n }, (_, c) => gainAt(a, c) * gainAt(b, c));
}

export function reciprocalGain(g: Gain): Gain {
  return g.map((v) => 1 / v);
}
