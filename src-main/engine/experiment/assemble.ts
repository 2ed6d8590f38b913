import { numel } from '../../common/ir/graph';
import type { Method } from '../../common/methods';
import type { LayerInfo, LayerResult, MethodResult, ThresholdSummary } from '../../common/results';
import { neuronOf } from '../../common/methods';
import type { SnnModel } from '../../common/snn';
import { meanStd } from '../metrics/accuracy';
import { ENERGY_MODEL, analogMacs, fanoutMaps, meanFanout, synapticOps } from '../metrics/energy';
import { spikingDepth } from '../metrics/latency';
import { layerMetrics } from '../metrics/layer-metrics';
import type { LayerTrace, SpikeRaster, UnitOutcome } from '../../common/units';
import type { Unit } from '../../common/plan';

/** What assembling results needs to know of a converted network besides the measurements. */
export interface NetworkFacts {
  readonly layers: readonly LayerInfo[];
  /** Fan-out per position (energy.ts `fanoutMaps`) of each spiking layer, and of the input
   * when it spikes, by name. */
  readonly fanouts: ReadonlyMap<string, Float64Array>;
  /** What the input costs: MACs at every step on the analog input (direct coding), or, when it
   * spikes (rate coding, per-step event frames), its spikes' SOPs, from its trace under `name`. */
  readonly input: { readonly kind: 'analog'; readonly macs: number } | { readonly kind: 'spikes'; readonly name: string };
  /** Spiking layers on the longest input→output path (latency of TPP). */
  readonly criticalLayers: number;
}

/** Static facts about a converted network and each of its spiking layers. */
export function describeNetwork(model: SnnModel, spikingInput: boolean): NetworkFacts {
  const { graph } = model;
  const spiking = new Set(model.snn.layers.map((l) => l.node));
  const isSpiking = (n: { name: string }): boolean => spiking.has(n.name);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const thresholds = thresholdSummaries(model);
  const fanouts = fanoutMaps(graph, [...spiking, ...(spikingInput ? [graph.input.name] : [])], isSpiking);
  const layers = model.snn.layers.map((layer, i) => {
    const shape = graph.shapes.get(layer.node)!;
    return {
      node: layer.node,
      op: byName.get(layer.node)!.op,
      shape,
      neurons: numel(shape),
      threshold: thresholds[i]!,
      fanout: meanFanout(fanouts.get(layer.node)!),
    };
  });
  return {
    layers,
    fanouts,
    input: spikingInput ? { kind: 'spikes', name: graph.input.name } : { kind: 'analog', macs: analogMacs(graph, isSpiking) },
    criticalLayers: spikingDepth(graph, isSpiking),
  };
}

/** Each spiking layer's thresholds, summarised over channels. */
export function thresholdSummaries(model: SnnModel): ThresholdSummary[] {
  return model.snn.layers.map((layer) => {
    const theta = model.graph.weights.get(layer.threshold)!.data;
    let sum = 0;
    for (const v of theta) sum += v;
    return { mean: sum / theta.length, min: Math.min(...theta), max: Math.max(...theta), channels: theta.length };
  });
}

/** Synaptic operations per sample that a trace's spikes trigger. */
function sopsPerSample(trace: LayerTrace, fanout: Float64Array): number {
  return trace.samples > 0 ? synapticOps(trace.spikesPerPosition, fanout) / trace.samples : 0;
}

/**
 * One result row per (method, T) from the units that measured it (one per seed).
 * `thresholdsOf` gives the thresholds of the network a unit simulated (per T for snnc).
 */
export function assembleResults(
  outcomes: readonly UnitOutcome[],
  network: NetworkFacts,
  thresholdsOf: (unit: Unit) => readonly ThresholdSummary[],
  withTop5: boolean,
): MethodResult[] {
  const { layers, fanouts, input } = network;
  const rows = new Map<
    string,
    { method: Method; T: number; thresholds: readonly ThresholdSummary[]; seeds: { accuracy: number; top5: number; sops: number; layerResults: ReturnType<typeof layerMetrics>[]; confusion: readonly number[] | undefined; steps: readonly number[] | undefined; rasters: (SpikeRaster | undefined)[] }[] }
  >();
  for (const outcome of outcomes) {
    for (const [k, T] of outcome.unit.checkpoints.entries()) {
      const key = `${outcome.unit.method}@${T}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = { method: outcome.unit.method, T, thresholds: thresholdsOf(outcome.unit), seeds: [] };
        rows.set(key, row);
      }
      const traces = outcome.traces[k]!;
      let sops = layers.reduce((a, l) => a + sopsPerSample(traces.get(l.node)!, fanouts.get(l.node)!), 0);
      if (input.kind === 'spikes') {
        const inputTrace = traces.get(input.name); // absent from units stored before inputs were traced
        if (inputTrace !== undefined) sops += sopsPerSample(inputTrace, fanouts.get(input.name)!);
      }
      row.seeds.push({
        accuracy: outcome.correct[k]! / outcome.samples,
        top5: outcome.top5[k]! / outcome.samples,
        sops,
        layerResults: layers.map((l) => layerMetrics(l.node, traces.get(l.node)!, 0)),
        confusion: outcome.confusion?.[k],
        steps: outcome.stepCorrect?.slice(0, T).map((c) => c / outcome.samples),
        rasters: layers.map((l) => traces.get(l.node)!.raster),
      });
    }
  }
  const totalNeurons = layers.reduce((a, l) => a + l.neurons, 0);
  return [...rows.values()].map(({ method, T, thresholds, seeds }) => {
    const n = seeds.length;
    const avg = (f: (s: (typeof seeds)[number]) => number): number => seeds.reduce((a, s) => a + f(s), 0) / n;
    const perLayer: LayerResult[] = layers.map((l, i) => {
      const pick = seeds.map((s) => s.layerResults[i]!);
      const avgOf = (f: (r: (typeof pick)[number]) => number | null): number | null => {
        const values = pick.map(f).filter((v): v is number => v !== null);
        return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
      };
      return {
        node: l.node,
        threshold: thresholds[i]!,
        firingRate: avgOf((r) => r.firingRate) ?? 0,
        convError: avgOf((r) => r.convError) ?? 0,
        residual: avgOf((r) => r.residual) ?? 0,
        onset: avgOf((r) => r.onset),
        lateMass: avgOf((r) => r.lateMass),
        spikesPerStep: Array.from({ length: T }, (_, t) => pick.reduce((a, r) => a + r.spikesPerStep[t]!, 0) / n),
        ...(seeds[0]!.rasters[i] !== undefined ? { raster: seeds[0]!.rasters[i]! } : {}),
      };
    });
    const spikes = layers.map((_, i) => avg((s) => s.layerResults[i]!.spikes));
    const sops = avg((s) => s.sops);
    const accuracies = seeds.map((s) => s.accuracy);
    const confusions = seeds.map((s) => s.confusion);
    const confusion = confusions.every((c) => c !== undefined) ? confusions.reduce((a, c) => a!.map((v, i) => v + c![i]!)) : undefined;
    const stepAccuracy = seeds.every((s) => s.steps !== undefined) ? Array.from({ length: T }, (_, t) => avg((s) => s.steps![t]!)) : undefined;
    return {
      method,
      T,
      accuracy: meanStd(accuracies),
      ...(withTop5 ? { top5: meanStd(seeds.map((s) => s.top5)) } : {}),
      seeds: n,
      perSeed: accuracies,
      firingRate: totalNeurons > 0 ? spikes.reduce((a, b) => a + b, 0) / (totalNeurons * T) : 0,
      sops,
      energyPj: ENERGY_MODEL.sopPj * sops + (input.kind === 'analog' ? ENERGY_MODEL.macPj * input.macs * T : 0),
      latencySteps: neuronOf(method) === 'if' ? T : network.criticalLayers * T,
      perLayer,
      ...(confusion !== undefined ? { confusion } : {}),
      ...(stepAccuracy !== undefined ? { stepAccuracy } : {}),
    };
  });
}
