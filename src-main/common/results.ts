import type { Method } from './methods';
import type { SpikeRaster } from './units';
import type { StudySpec } from './study';

/**
 * The result of a conversion run: what `tppw demo --json` and `tppw convert --json` print, what
 * the store keeps and what reports show. README documents every field.
 */

export interface MeanStd {
  readonly mean: number;
  readonly std: number;
}

/** A layer's thresholds θ summarised over channels (one value when per layer). */
export interface ThresholdSummary {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly channels: number;
}

export interface LayerResult {
  readonly node: string;
  /** The thresholds this row's network used: they differ per T when tuned per T (snnc). */
  readonly threshold: ThresholdSummary;
  /** Spikes / (neurons · T), averaged over samples. */
  readonly firingRate: number;
  /** ‖θ·n/T − clip(a, 0, θ)‖₁ / ‖clip(a, 0, θ)‖₁ against the ANN activation a. */
  readonly convError: number;
  /** Mean positive potential left at the end of the window, max(v, 0)/θ: charge that never fired. */
  readonly residual: number;
  /** Mean first-spike step (1-based) of the neurons that fired; null when none did. */
  readonly onset: number | null;
  /** Share of spikes in the last quarter of the window (steps > ⌊3T/4⌋); null when none. */
  readonly lateMass: number | null;
  /** Spikes per sample at each step 1..T (the layer × step heat map row). */
  readonly spikesPerStep: readonly number[];
  /** Sampled neurons' spike steps in the first evaluated sample (first seed); absent on the GPU
   * backend and in runs stored before it was kept. */
  readonly raster?: SpikeRaster;
}

export interface MethodResult {
  readonly method: Method;
  readonly T: number;
  readonly accuracy: MeanStd;
  /** Top-5 accuracy, present when the dataset has more than 10 classes. */
  readonly top5?: MeanStd;
  /** Number of seeds behind the mean and std (1 for deterministic IF). */
  readonly seeds: number;
  readonly perSeed: readonly number[];
  /** Spikes / (neurons · T) over all spiking layers, averaged over samples and seeds. */
  readonly firingRate: number;
  /** Synaptic operations per sample: Σ over spiking neurons of spikes × the synapses that neuron
   * really drives (its position's fan-out, padded taps excluded), plus the input's spikes × their
   * fan-out when the input spikes (rate coding, per-step event frames). */
  readonly sops: number;
  /** Estimated energy per sample in pJ: sopPj·SOPs, plus macPj·(MACs on the analog input)·T with
   * direct coding (a spiking input is in the SOPs instead). */
  readonly energyPj: number;
  /** End-to-end latency in steps: T for IF; for TPP, which fires layer by layer, T × the spiking
   * layers on the longest input→output path (parallel branches count once). */
  readonly latencySteps: number;
  readonly perLayer: readonly LayerResult[];
  /** K × K counts summed over the seeds (row: the label, column: the prediction), row-major;
   * absent when a unit behind the row was stored before confusion was counted. */
  readonly confusion?: readonly number[];
  /** Accuracy at each step t = 1…T of the window (the output summed over steps ≤ t), mean over
   * the seeds; absent when a unit behind the row was stored before it was counted. */
  readonly stepAccuracy?: readonly number[];
}

/**
 * Where accuracy goes (the attribution study, StudySpec.attribution): at one T, for each method,
 * the accuracy when only the first l spiking layers spike and the rest run as the ANN, l = 0…L
 * (l = 0 is the ANN, l = L the whole SNN), first seed.
 */
export interface Attribution {
  readonly T: number;
  /** The spiking layers in order (l counts them). */
  readonly layers: readonly string[];
  readonly rows: readonly { readonly method: Method; readonly accuracy: readonly number[] }[];
}

export interface LayerInfo {
  readonly node: string;
  readonly op: string;
  readonly shape: readonly number[];
  readonly neurons: number;
  /** Threshold summary of the shared conversion; with thresholds tuned per T (snnc), of the
   * smallest T: each result row's `perLayer[].threshold` holds the one it used. */
  readonly threshold: ThresholdSummary;
  /** Synapses one spike of this layer drives downstream, up to the next spiking layers, as the mean
   * over its neurons (the SOPs weigh each neuron's spikes by its own position's fan-out). */
  readonly fanout: number;
}

/** The study as run, with the threshold method as its label (`p99.9`, `max`, …). */
export interface RunConfig extends Omit<StudySpec, 'threshold'> {
  readonly threshold: string;
  readonly calibration: { readonly source: string; readonly samples: number };
  /** `static`: the sample is the input (direct or rate coding); `steps`: per-step event frames. */
  readonly input: 'static' | 'steps';
  readonly inputTransform: { readonly scale: number; readonly offset: number };
}

export interface RunResult {
  readonly model: string;
  readonly dataset: string;
  readonly backend: string;
  /** What ran it: the wasm build, or the WebGPU adapter (vendor, architecture, description). */
  readonly backendDetail?: string;
  readonly samples: number;
  readonly config: RunConfig;
  readonly ann: {
    readonly accuracy: number;
    readonly top5?: number;
    /** ANN accuracy before max pooling was swapped for average pooling, when it was. */
    readonly accuracyBeforeSwap?: number;
    /** Set when the ANN is near chance or its output is constant: every SNN number inherits it
     * (the same text leads `warnings`). */
    readonly sanityWarning?: string;
    readonly macs: number;
    readonly energyPj: number;
    /** The ANN's K × K confusion counts on the same samples, as `results[].confusion`. */
    readonly confusion?: readonly number[];
  };
  readonly energyModel: { readonly macPj: number; readonly sopPj: number };
  readonly results: readonly MethodResult[];
  readonly layers: readonly LayerInfo[];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly attribution?: Attribution;
  readonly wallMs: number;
  /** Of wallMs, the time spent simulating (the units this run computed; none when all were stored). */
  readonly simulateMs?: number;
}

/** The energy model a result was estimated with, in words, from the constants it carries. */
export function energyModelText(result: Pick<RunResult, 'energyModel' | 'config'>): string {
  const { sopPj, macPj } = result.energyModel;
  const spikingInput = result.config.encoding === 'rate' || result.config.input === 'steps';
  return `${sopPj} pJ/SOP${spikingInput ? ', the input spikes counted as SOPs' : ` + ${macPj} pJ/MAC on the analog input`}; ANN ${macPj} pJ/MAC`;
}
