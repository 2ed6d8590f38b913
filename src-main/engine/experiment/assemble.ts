import { numel } from '../../common/ir/graph';
import type { LayerInfo, LayerResult, Method, MethodResult } from '../../common/results';
import { neuronOf } from '../../common/results';
import type { SnnModel } from '../../common/snn';
import { meanStd } from '../metrics/accuracy';
import { ENERGY_MODEL, analogMacs, fanout } from '../metrics/energy';
import { layerMetrics } from '../metrics/layer-metrics';
import type { UnitOutcome } from './run-unit';

/** Static facts about each spiking layer of a converted network. */
export function describeLayers(model: SnnModel): LayerInfo[] {
  const spiking = new Set(model.snn.layers.map((l) => l.node));
  const byName = new Map(model.graph.nodes.map((n) => [n.name, n]));
  return model.snn.layers.map((layer) => {
    const shape = model.graph.shapes.get(layer.node)!;
    const theta = model.graph.weights.get(layer.threshold)!.data;
    let sum = 0;
    for (const v of theta) sum += v;
    return {
      node: layer.node,
      op: byName.get(layer.node)!.op,
      shape,
      neurons: numel(shape),
      threshold: { mean: sum / theta.length, min: Math.min(...theta), max: Math.max(...theta), channels: theta.length },
      fanout: fanout(model.graph, layer.node, (n) => spiking.has(n.name)),
    };
  });
}

export function firstLayerMacs(model: SnnModel): number {
  const spiking = new Set(model.snn.layers.map((l) => l.node));
  return analogMacs(model.graph, (n) => spiking.has(n.name));
}

/** One result row per (method, T) from the units that measured it (one per seed). */
export function assembleResults(
  outcomes: readonly UnitOutcome[],
  layers: readonly LayerInfo[],
  inputMacs: number,
  withTop5: boolean,
): MethodResult[] {
  const rows = new Map<string, { method: Method; T: number; seeds: { accuracy: number; top5: number; layerResults: (LayerResult & { spikes: number })[] }[] }>();
  for (const outcome of outcomes) {
    for (const [k, T] of outcome.unit.checkpoints.entries()) {
      const key = `${outcome.unit.method}@${T}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = { method: outcome.unit.method, T, seeds: [] };
        rows.set(key, row);
      }
      const traces = outcome.traces[k]!;
      row.seeds.push({
        accuracy: outcome.correct[k]! / outcome.samples,
        top5: outcome.top5[k]! / outcome.samples,
        layerResults: layers.map((l) => layerMetrics(l.node, traces.get(l.node)!, 0)),
      });
    }
  }
  const totalNeurons = layers.reduce((a, l) => a + l.neurons, 0);
  return [...rows.values()].map(({ method, T, seeds }) => {
    const n = seeds.length;
    const avg = (f: (s: (typeof seeds)[number]) => number): number => seeds.reduce((a, s) => a + f(s), 0) / n;
    const perLayer: LayerResult[] = layers.map((l, i) => {
      const pick = seeds.map((s) => s.layerResults[i]!);
      const avgOf = (f: (r: LayerResult) => number | null): number | null => {
        const values = pick.map(f).filter((v): v is number => v !== null);
        return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
      };
      return {
        node: l.node,
        firingRate: avgOf((r) => r.firingRate) ?? 0,
        convError: avgOf((r) => r.convError) ?? 0,
        residual: avgOf((r) => r.residual) ?? 0,
        onset: avgOf((r) => r.onset),
        lateMass: avgOf((r) => r.lateMass),
        spikesPerStep: Array.from({ length: T }, (_, t) => pick.reduce((a, r) => a + r.spikesPerStep[t]!, 0) / n),
      };
    });
    const spikes = layers.map((_, i) => avg((s) => s.layerResults[i]!.spikes));
    const sops = layers.reduce((a, l, i) => a + spikes[i]! * l.fanout, 0);
    const accuracies = seeds.map((s) => s.accuracy);
    return {
      method,
      T,
      accuracy: meanStd(accuracies),
      ...(withTop5 ? { top5: meanStd(seeds.map((s) => s.top5)) } : {}),
      seeds: n,
      perSeed: accuracies,
      firingRate: totalNeurons > 0 ? spikes.reduce((a, b) => a + b, 0) / (totalNeurons * T) : 0,
      sops,
      energyPj: ENERGY_MODEL.sopPj * sops + ENERGY_MODEL.macPj * inputMacs * T,
      latencySteps: neuronOf(method) === 'if' ? T : layers.length * T,
      perLayer,
    };
  });
}
