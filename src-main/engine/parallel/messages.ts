import type { ErrorData } from '../../common/errors';
import type { SampleSetDescriptor } from '../../common/datasets';
import type { UnitOutcome } from '../../common/units';
import type { Unit } from '../../common/plan';
import type { AnnPart } from '../ann/evaluate';

/** Messages between the unit pool (parent) and its simulation workers. */
export interface WorkerSetup {
  readonly backend: string;
  /** The evaluation samples: the dataset to open (by its descriptor) and which of its samples,
   * or the samples themselves, NHWC float32 with the input transform applied (shared memory). */
  readonly data:
    | { readonly kind: 'open'; readonly descriptor: SampleSetDescriptor; readonly indices: Int32Array }
    | { readonly kind: 'shared'; readonly x: Float32Array; readonly labels: Int32Array; readonly indices: Int32Array; readonly shape: readonly number[] };
  readonly stepInput: boolean;
  readonly budgetValues?: number;
}

/** A worker's data: its setup, or, for one started ahead (prestartWorkers), the backend to start
 * while it waits for the setup message. */
export type WorkerData = { readonly kind: 'setup'; readonly setup: WorkerSetup } | { readonly kind: 'spare'; readonly backend: string };

/** A spare's setup first; then the converted networks, then jobs: a job is one shard of a unit,
 * its samples [range[0], range[1]) of the evaluation samples. Models are encoded .tppw files by conversion key
 * (conversionKey: '', the T, or T/neuron). */
export type ToWorker =
  | { readonly kind: 'setup'; readonly setup: WorkerSetup }
  | { readonly kind: 'models'; readonly models: Readonly<Record<string, Uint8Array>>; readonly ann?: Uint8Array }
  | WorkerJob & { readonly id: number }
  | { readonly kind: 'stop' };

/** A unit's shard, or the ANN (the `ann` graph of the last models message) on a range of the
 * evaluation samples. */
export type WorkerJob =
  | { readonly kind: 'unit'; readonly unit: Unit; readonly range: readonly [number, number] }
  | { readonly kind: 'ann'; readonly range: readonly [number, number] };

export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'work'; readonly id: number; readonly sampleSteps: number }
  | { readonly kind: 'done'; readonly id: number; readonly outcome: UnitOutcome }
  | { readonly kind: 'ann-done'; readonly id: number; readonly part: AnnPart }
  | { readonly kind: 'error'; readonly id: number; readonly error: ErrorData };

/** '' for the shared conversion, the T for one tuned per T, `T/neuron` for a calibrated one. */
export function conversionKey(unit: Unit): string {
  const T = unit.conversionT === undefined ? '' : String(unit.conversionT);
  return unit.conversionNeuron === undefined ? T : `${T}/${unit.conversionNeuron}`;
}
