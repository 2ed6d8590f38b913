import * as tf from '@tensorflow/tfjs-core';
import { WorkbenchError } from '../../common/errors';
import type { SnnModel } from '../../common/snn';
import type { SampleSet } from '../../datasets/sample-set';
import { batches, batchSizeFor } from '../ann/batching';
import { GraphTensors } from '../ann/graph-tensors';
import { runGraph } from '../ann/run-graph';
import { argmaxRows, inTopK } from '../metrics/accuracy';
import type { LayerTrace, UnitOutcome } from '../../common/units';
import { accumulateTrace } from '../neurons/trace';
import { SnnSimulator } from '../simulate/simulator';
import { shardRanges, type Unit } from '../../common/plan';


export interface UnitContext {
  readonly model: SnnModel;
  readonly set: SampleSet;
  readonly indices: Int32Array;
  /** Dataset index of each sample of `set`, when `set` holds a subset (random streams are
   * keyed by dataset index, so a sample draws the same spikes wherever it is simulated). */
  readonly streamIndices?: Int32Array;
  readonly budgetValues?: number;
  /** Feed the samples' per-step input (set.readSteps, e.g. event frames) instead of encoding x. */
  readonly stepInput?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each batch with the sample-steps just done. */
  readonly onWork?: (sampleSteps: number) => void;
}

/** A unit over all its samples: its shards one after another, summed in order (see SHARD_SAMPLES). */
export async function runUnit(unit: Unit, context: UnitContext): Promise<UnitOutcome> {
  let total: UnitOutcome | undefined;
  for (const range of shardRanges(context.indices.length)) {
    const shard = await runShard(unit, context, range);
    total = total === undefined ? shard : mergeOutcomes(total, shard);
  }
  return total ?? emptyOutcome(unit);
}

/** A unit's outcome on no samples. */
export function emptyOutcome(unit: Unit): UnitOutcome {
  return { unit, samples: 0, correct: unit.checkpoints.map(() => 0), top5: unit.checkpoints.map(() => 0), traces: unit.checkpoints.map(() => new Map()) };
}

/** Two outcomes of one unit on disjoint samples as one (the first's traces are added to). */
export function mergeOutcomes(a: UnitOutcome, b: UnitOutcome): UnitOutcome {
  const traces = a.traces.map((byNode, k) => {
    const merged = new Map(byNode);
    for (const [node, trace] of b.traces[k]!) {
      const total = merged.get(node);
      if (total === undefined) merged.set(node, trace);
      else accumulateTrace(total, trace);
    }
    return merged;
  });
  const confusion = a.confusion && b.confusion ? a.confusion.map((row, k) => row.map((c, i) => c + b.confusion![k]![i]!)) : undefined;
  const stepCorrect = a.stepCorrect && b.stepCorrect ? a.stepCorrect.map((c, t) => c + b.stepCorrect![t]!) : undefined;
  return {
    unit: a.unit,
    samples: a.samples + b.samples,
    correct: a.correct.map((c, k) => c + b.correct[k]!),
    top5: a.top5.map((c, k) => c + b.top5[k]!),
    traces,
    ...(confusion ? { confusion } : {}),
    ...(stepCorrect ? { stepCorrect } : {}),
  };
}

/** One shard of a unit: the samples indices[start, end). */
export async function runShard(unit: Unit, context: UnitContext, [first, last]: readonly [number, number]): Promise<UnitOutcome> {
  const { model, set } = context;
  const indices = context.indices.subarray(first, last);
  const { graph } = model;
  const simulator = new SnnSimulator(model);
  const annWeights = new GraphTensors(graph);
  const capture = new Set(model.snn.layers.map((l) => l.node));
  const K = graph.shapes.get(graph.output)![0]!;
  const correct = unit.checkpoints.map(() => 0);
  const top5 = unit.checkpoints.map(() => 0);
  const traces = unit.checkpoints.map(() => new Map<string, LayerTrace>());
  const confusion = unit.checkpoints.map(() => new Array<number>(K * K).fill(0));
  const stepCorrect = new Array<number>(unit.T).fill(0);
  const batchSize = batchSizeFor(graph, unit.T, context.budgetValues);
  try {
    for (const [start, end] of batches(indices.length, batchSize)) {
      if (context.signal?.aborted) throw new WorkbenchError('cancelled', 'the run was cancelled');
      const batch = indices.subarray(start, end);
      const x = set.read(batch);
      const ann = await annActivations(x, batch.length, set.shape, graph, annWeights, capture);
      const steps = context.stepInput ? set.readSteps!(batch, unit.T) : undefined;
      const streams = context.streamIndices === undefined ? batch : batch.map((i) => context.streamIndices![i]!);
      const outcome = await simulator.runBatch(x, streams, { T: unit.T, checkpoints: unit.checkpoints, seed: unit.seed, ...(unit.permute ? { permute: unit.permute } : {}), ...(unit.spikingLayers !== undefined ? { spikingLayers: unit.spikingLayers } : {}) }, ann, steps);
      for (const [t, predictions] of outcome.stepPredictions.entries()) {
        for (let b = 0; b < batch.length; b++) if (predictions[b] === set.labels[batch[b]!]) stepCorrect[t]!++;
      }
      for (const [k, sums] of outcome.outputSums.entries()) {
        const predictions = argmaxRows(sums, K);
        for (let b = 0; b < batch.length; b++) {
          const label = set.labels[batch[b]!]!;
          if (predictions[b] === label) correct[k]!++;
          confusion[k]![label * K + predictions[b]!]!++;
          if (K > 10 && inTopK(sums, K, b, label, 5)) top5[k]!++;
        }
        for (const [node, trace] of outcome.traces) {
          const total = traces[k]!.get(node);
          const view = checkpointView(trace, k);
          if (total === undefined) traces[k]!.set(node, view);
          else accumulateTrace(total, view);
        }
      }
      context.onWork?.(unit.T * batch.length);
    }
  } finally {
    simulator.dispose();
    annWeights.dispose();
  }
  return { unit, samples: indices.length, correct, top5, traces, confusion, stepCorrect };
}

async function annActivations(
  x: Float32Array,
  B: number,
  shape: readonly number[],
  graph: SnnModel['graph'],
  weights: GraphTensors,
  capture: ReadonlySet<string>,
): Promise<Map<string, Float32Array>> {
  const input = tf.tensor(x, [B, ...shape]);
  const { output, captured } = runGraph(graph, weights, input, capture);
  output.dispose();
  input.dispose();
  const out = new Map<string, Float32Array>();
  for (const [name, tensor] of captured) {
    out.set(name, (await tensor.data()) as Float32Array);
    tensor.dispose();
  }
  return out;
}

/** A trace restricted to checkpoint k (so sums for different window lengths stay apart). */
function checkpointView(trace: LayerTrace, k: number): LayerTrace {
  const t = trace.checkpoints[k]!;
  return {
    neurons: trace.neurons,
    positions: trace.positions,
    samples: trace.samples,
    spikesPerStep: trace.spikesPerStep.slice(0, t),
    firstSpikesPerStep: trace.firstSpikesPerStep.slice(0, t),
    checkpoints: [t],
    residualSum: trace.residualSum.slice(k, k + 1),
    convErrorNum: trace.convErrorNum.slice(k, k + 1),
    convErrorDen: trace.convErrorDen.slice(k, k + 1),
    spikesPerPosition: trace.spikesPerPosition.slice(k * trace.positions, (k + 1) * trace.positions),
    ...(trace.raster !== undefined ? { raster: { neurons: trace.raster.neurons, steps: trace.raster.steps.map((s) => s.filter((step) => step <= t)) } } : {}),
  };
}
