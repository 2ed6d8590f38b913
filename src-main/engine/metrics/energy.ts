import { consumersOf } from '../../common/ir/graph';
import { nodeCounts } from '../../common/ir/counts';
import type { Graph, IrNode } from '../../common/ir/types';
import { positionsOf } from '../neurons/trace';

/**
 * Energy model of METHODS.md (Horowitz, ISSCC 2014, 45 nm): a multiply-accumulate costs 4.6 pJ,
 * an accumulate (one synaptic operation, SOP) 0.9 pJ.
 *   E_ANN = 4.6 pJ · MACs
 *   E_SNN = 0.9 pJ · SOPs + 4.6 pJ · (MACs on the analog input) · T    (direct coding)
 *   E_SNN = 0.9 pJ · SOPs, the input's spikes × their fan-out included    (rate coding, event frames)
 * The constants live here only; results carry them as `energyModel`.
 */
export const ENERGY_MODEL = { macPj: 4.6, sopPj: 0.9 } as const;

/**
 * Fan-out of one spike at each position of a spiking tensor: the number of synapses it really
 * drives, up to the next spiking layers (METHODS.md: padded taps are not synapses, and with stride
 * or padding the count depends on the position). Positions are those of `positionsOf` (H·W of an
 * [H, W, C] map, one for a flat vector); the count does not depend on the channel, since every op
 * of the IR treats channels alike. Following a spike from position (h, w) of tensor X:
 * - conv2d: (C_out / groups) × #{(output position, tap) whose window reads (h, w) at a real tap},
 *   with strides, pads and dilations: taps on padding read no neuron;
 * - dense (on a flat input): its output count;
 * - avg/max pooling: Σ over the windows that contain (h, w) of the fan-out at that window's output;
 *   global average pooling: the fan-out of its output;
 * - pad: the fan-out at the shifted position (h + top, w + left);
 * - flatten, add, concat, batch norm, softmax and non-spiking activations pass it on (one spike
 *   reaches each consumer, so the consumers' counts add up);
 * - a spiking activation fed directly: one synapse (identity weight), and counting stops there;
 *   the graph output drives nothing.
 * Results are maps for each name in `names`, sharing the work of common downstream paths.
 */
export function fanoutMaps(graph: Graph, names: readonly string[], isSpiking: (node: IrNode) => boolean): Map<string, Float64Array> {
  const consumers = consumersOf(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const shape = (name: string): readonly number[] => graph.shapes.get(name)!;
  const memo = new Map<string, Float64Array>();
  const onwards = (from: string): Float64Array => {
    const cached = memo.get(from);
    if (cached !== undefined) return cached;
    const total = new Float64Array(positionsOf(shape(from)));
    for (const consumerName of consumers.get(from) ?? []) {
      const part = perInput(byName.get(consumerName)!, from);
      for (let p = 0; p < total.length; p++) total[p]! += part[p]!;
    }
    memo.set(from, total);
    return total;
  };
  const perInput = (node: IrNode, from: string): Float64Array => {
    const inShape = shape(from);
    const positions = positionsOf(inShape);
    const filled = (value: number): Float64Array => new Float64Array(positions).fill(value);
    switch (node.op) {
      case 'conv2d': {
        const [h, w] = inShape as [number, number, number];
        const [oh, ow, cout] = shape(node.name) as [number, number, number];
        const [kh, kw] = graph.weights.get(node.kernel)!.shape as [number, number];
        const rows = coverCounts(h, oh, kh, node.strides[0], node.pads[0], node.dilations[0]);
        const cols = coverCounts(w, ow, kw, node.strides[1], node.pads[2], node.dilations[1]);
        const perTap = cout / node.groups;
        const map = new Float64Array(positions);
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) map[y * w + x] = rows[y]! * cols[x]! * perTap;
        return map;
      }
      case 'dense':
        return filled(shape(node.name)[0]!);
      case 'avgPool':
      case 'maxPool': {
        const [h, w] = inShape as [number, number, number];
        const [oh, ow] = shape(node.name) as [number, number, number];
        const out = onwards(node.name);
        const map = new Float64Array(positions);
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            const reach = out[oy * ow + ox]!;
            for (let ky = 0; ky < node.size[0]; ky++) {
              const y = oy * node.strides[0] - node.pads[0] + ky;
              if (y < 0 || y >= h) continue;
              for (let kx = 0; kx < node.size[1]; kx++) {
                const x = ox * node.strides[1] - node.pads[2] + kx;
                if (x >= 0 && x < w) map[y * w + x]! += reach;
              }
            }
          }
        }
        return map;
      }
      case 'pad': {
        const [h, w] = inShape as [number, number, number];
        const wide = w + node.pads[2] + node.pads[3];
        const out = onwards(node.name);
        const map = new Float64Array(positions);
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) map[y * w + x] = out[(y + node.pads[0]) * wide + x + node.pads[2]]!;
        return map;
      }
      case 'globalAvgPool':
      case 'flatten':
        // Onto a flat vector, whose fan-out is one number.
        return filled(onwards(node.name)[0]!);
      case 'relu':
      case 'clip':
      case 'qcfs':
        return isSpiking(node) ? filled(1) : onwards(node.name);
      case 'batchNorm':
      case 'add':
      case 'concat':
      case 'softmax':
      case 'leakyRelu':
        return onwards(node.name);
      default: {
        const never: never = node;
        return never;
      }
    }
  };
  return new Map(names.map((name) => [name, onwards(name)]));
}

/** For each input index i along one axis of a windowed op: how many (output index, tap) pairs
 * read it, o·stride − padBefore + k·dilation = i, with 0 ≤ o < outSize and 0 ≤ k < kernel. */
function coverCounts(size: number, outSize: number, kernel: number, stride: number, padBefore: number, dilation: number): Int32Array {
  const counts = new Int32Array(size);
  for (let o = 0; o < outSize; o++) {
    for (let k = 0; k < kernel; k++) {
      const i = o * stride - padBefore + k * dilation;
      if (i >= 0 && i < size) counts[i]!++;
    }
  }
  return counts;
}

/** Mean fan-out per neuron of a map (every position holds the same number of channels). */
export function meanFanout(map: Float64Array): number {
  let sum = 0;
  for (const v of map) sum += v;
  return map.length > 0 ? sum / map.length : 0;
}

/**
 * Synaptic operations of a layer: Σ_p spikes[p] · fanout[p] over its positions (METHODS.md:
 * Σ over neurons of spikes · fan-out, with the channels of each position summed first). Spike
 * counts kept for one position only (traces stored before per-position counts) meet the mean
 * fan-out.
 */
export function synapticOps(spikesPerPosition: ArrayLike<number>, fanout: Float64Array): number {
  if (spikesPerPosition.length !== fanout.length) {
    if (spikesPerPosition.length !== 1) throw new Error(`synaptic ops: ${spikesPerPosition.length} positions of spike counts against ${fanout.length} of fan-out`);
    return spikesPerPosition[0]! * meanFanout(fanout);
  }
  let sops = 0;
  for (let p = 0; p < fanout.length; p++) sops += spikesPerPosition[p]! * fanout[p]!;
  return sops;
}

/** MACs of the weighted ops that see the analog input (no spiking node upstream). */
export function analogMacs(graph: Graph, isSpiking: (node: IrNode) => boolean): number {
  const downstreamOfSpikes = new Set<string>();
  let macs = 0;
  for (const node of graph.nodes) {
    const fed = node.inputs.some((i) => downstreamOfSpikes.has(i));
    if (fed || isSpiking(node)) {
      downstreamOfSpikes.add(node.name);
      continue;
    }
    macs += nodeCounts(graph, node).macs;
  }
  return macs;
}
