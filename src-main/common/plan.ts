import { neuronOf, type Method } from './methods';
import type { NeuronKind } from './snn';
import type { StudySpec } from './study';

/**
 * The units of work of a run: one simulation pass over the evaluation samples each. IF reads
 * every T from one pass of length max(T) (anytime readout) when nothing in the network depends
 * on T; Permute, TPP and T-dependent conversions (SNNC thresholds, the θ/(2T) shift) need one
 * pass per T, and stochastic methods one per seed.
 */
export interface Unit {
  readonly method: Method;
  readonly T: number;
  /** Window lengths this pass reports (ascending, last = T). */
  readonly checkpoints: readonly number[];
  readonly seed: number;
  readonly permute?: StudySpec['permute'];
  /** Which conversion to use: the T its thresholds were tuned for, or undefined for the shared one. */
  readonly conversionT?: number;
  /** With SNNC calibration: the neuron kind the conversion was calibrated with (IF for IF-Permute,
   * so the probe changes only the timing of the same network). */
  readonly conversionNeuron?: NeuronKind;
  /** The attribution study: only the first n spiking layers spike; the rest run as the ANN on
   * the rate (mean over the window) of what reaches them. */
  readonly spikingLayers?: number;
}

export interface PlanOptions extends Pick<StudySpec, 'methods' | 'timesteps' | 'seeds' | 'permute'> {
  /** SNNC thresholds or the θ/(2T) shift: the network differs per T. */
  readonly dependsOnT: boolean;
  readonly thresholdsPerT: boolean;
  /** SNNC calibration: one conversion per T and neuron kind. */
  readonly calibrated?: boolean;
}

/** What a study's plan depends on besides its grid: the network differs per T with SNNC
 * thresholds or calibration, with the θ/(2T) shift and with per-step event input (each T cuts its
 * own frames); a calibrated network also differs per neuron kind. */
export type PlannedStudy = Pick<StudySpec, 'methods' | 'timesteps' | 'seeds' | 'permute' | 'threshold' | 'shift' | 'snnc' | 'attribution'>;

/**
 * The units a study runs: what the engine simulates and what the GUI estimates before it. With
 * `attribution` and a network of `spikingLayers` spiking layers, also one unit per method and
 * l = 1…L − 1 at that T, first seed (`spikingLayers` on the unit).
 */
export function planStudy(study: PlannedStudy, input: 'static' | 'steps', spikingLayers = 0): Unit[] {
  const calibrated = (study.snnc ?? 'none') !== 'none';
  const thresholdsPerT = study.threshold.kind === 'snnc' || calibrated;
  const options = { ...study, dependsOnT: thresholdsPerT || study.shift || input === 'steps', thresholdsPerT, calibrated };
  const units = planUnits(options);
  if (study.attribution === undefined) return units;
  const at = planUnits({ ...options, timesteps: [study.attribution], seeds: study.seeds.slice(0, 1) });
  for (const unit of at) for (let l = 1; l < spikingLayers; l++) units.push({ ...unit, spikingLayers: l });
  return units;
}

export function planUnits(options: PlanOptions): Unit[] {
  const ts = [...new Set(options.timesteps)].sort((a, b) => a - b);
  const units: Unit[] = [];
  for (const method of options.methods) {
    const deterministic = method === 'if';
    const seeds = deterministic ? options.seeds.slice(0, 1) : options.seeds;
    const permute = method === 'if-permute' ? options.permute : undefined;
    const conversionT = (T: number): { conversionT?: number; conversionNeuron?: NeuronKind } => ({
      ...(options.thresholdsPerT ? { conversionT: T } : {}),
      ...(options.calibrated ? { conversionNeuron: neuronOf(method) } : {}),
    });
    for (const seed of seeds) {
      if (neuronOf(method) === 'if' && permute === undefined && !options.dependsOnT) {
        units.push({ method, T: ts[ts.length - 1]!, checkpoints: ts, seed });
        continue;
      }
      for (const T of ts) units.push({ method, T, checkpoints: [T], seed, ...(permute ? { permute } : {}), ...conversionT(T) });
    }
  }
  return units;
}

/** Work of a unit in sample-steps, for progress and ETA. */
export function unitWork(unit: Unit, samples: number): number {
  return unit.T * samples;
}

/**
 * Samples per shard: a unit's samples are simulated in consecutive shards of this many, each
 * summed on its own and the shards then summed in order, whether they ran one after another or
 * on several threads at once. So a single unit can use every core, and the results (float sums
 * included) do not depend on how many threads there were.
 */
export const SHARD_SAMPLES = 128;

/** The [start, end) sample ranges of a unit's shards over `samples` samples. */
export function shardRanges(samples: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < samples; start += SHARD_SAMPLES) ranges.push([start, Math.min(samples, start + SHARD_SAMPLES)]);
  return ranges;
}

/** A unit's identity across runs of the same study (what a resumed run matches stored outcomes by). */
export function unitKey(unit: Unit): string {
  return `${unit.method}|T${unit.T}|seed${unit.seed}|${unit.checkpoints.join(',')}${unit.permute ? `|${unit.permute}` : ''}${unit.spikingLayers !== undefined ? `|spiking${unit.spikingLayers}` : ''}`;
}

/** The work a plan asks for over `samples` samples: passes, sample-steps, and the MACs of the
 * linear layers (sample-steps × the model's MACs per sample and step). */
export interface WorkEstimate {
  readonly passes: number;
  readonly sampleSteps: number;
  readonly macs: number;
}

export function estimateWork(units: readonly Unit[], samples: number, modelMacs: number): WorkEstimate {
  const sampleSteps = units.reduce((a, u) => a + unitWork(u, samples), 0);
  return { passes: units.length, sampleSteps, macs: sampleSteps * modelMacs };
}
