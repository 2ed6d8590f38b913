import type { NeuronKind } from './snn';
import type { StudySpec } from './study';

/**
 * The result of a conversion run: what `tppw demo --json` and `tppw convert --json` print, what
 * the store keeps and what reports show. README documents every field.
 */
export const METHODS = ['if', 'if-permute', 'tpp', 'tpp-iid'] as const;
export type Method = (typeof METHODS)[number];

export function neuronOf(method: Method): NeuronKind {
  return method === 'if-permute' ? 'if' : method;
}

export interface MeanStd {
  readonly mean: number;
  readonly std: number;
}

export interface LayerResult {
  readonly node: string;
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
  /** Synaptic operations per sample: Σ_l spikes_l · fanout_l. */
  readonly sops: number;
  /** Estimated energy per sample in pJ: 0.9·SOPs + 4.6·(first-layer MACs)·T. */
  readonly energyPj: number;
  /** End-to-end latency in steps: T for IF; (#spiking layers)·T for TPP, which fires layer by layer. */
  readonly latencySteps: number;
  readonly perLayer: readonly LayerResult[];
}

export interface LayerInfo {
  readonly node: string;
  readonly op: string;
  readonly shape: readonly number[];
  readonly neurons: number;
  /** Threshold summary over channels (one value when per layer). */
  readonly threshold: { readonly mean: number; readonly min: number; readonly max: number; readonly channels: number };
  /** Synaptic operations one spike of this layer triggers downstream (mean over its neurons). */
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
  readonly samples: number;
  readonly config: RunConfig;
  readonly ann: {
    readonly accuracy: number;
    readonly top5?: number;
    /** ANN accuracy before max pooling was swapped for average pooling, when it was. */
    readonly accuracyBeforeSwap?: number;
    readonly macs: number;
    readonly energyPj: number;
  };
  readonly energyModel: { readonly macPj: number; readonly sopPj: number };
  readonly results: readonly MethodResult[];
  readonly layers: readonly LayerInfo[];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly wallMs: number;
}
