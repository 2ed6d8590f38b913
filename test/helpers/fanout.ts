import { consumersOf, numel } from '../../src-main/common/ir/graph';
import type { Graph, IrNode } from '../../src-main/common/ir/types';

/**
 * The synapses each element of tensor `from` drives, by brute force: every weight tap of every
 * conv and dense is enumerated and kept when it reads a real element (not padding); pooling,
 * pads, flatten and concat are followed element by element (channels and all) to the next
 * spiking layer. Per element of `from`, NHWC.
 */
export function bruteFanout(graph: Graph, from: string, isSpiking: (n: IrNode) => boolean): Float64Array {
  const shape = graph.shapes.get(from)!;
  const out = new Float64Array(numel(shape));
  const [H = 1, W = 1, C = shape[shape.length - 1]!] = shape.length === 3 ? shape : [1, 1, shape[0]];
  const at = (h: number, w: number, c: number): number => (h * W + w) * C + c;
  for (const name of consumersOf(graph).get(from) ?? []) {
    const node = graph.nodes.find((n) => n.name === name)!;
    const outShape = graph.shapes.get(node.name)!;
    const onward = (): Float64Array => bruteFanout(graph, node.name, isSpiking);
    switch (node.op) {
      case 'conv2d': {
        const [KH, KW, CinG, Cout] = graph.weights.get(node.kernel)!.shape as [number, number, number, number];
        const [OH, OW] = outShape as [number, number, number];
        const CoutG = Cout / node.groups;
        for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
          const h = oh * node.strides[0] - node.pads[0] + kh * node.dilations[0];
          const w = ow * node.strides[1] - node.pads[2] + kw * node.dilations[1];
          if (h < 0 || h >= H || w < 0 || w >= W) continue; // a padded tap
          for (let co = 0; co < Cout; co++) {
            const g = Math.floor(co / CoutG);
            for (let ci = 0; ci < CinG; ci++) out[at(h, w, g * CinG + ci)]!++;
          }
        }
        break;
      }
      case 'dense': {
        const [fin, fout] = graph.weights.get(node.kernel)!.shape as [number, number];
        for (let o = 0; o < fout; o++) for (let i = 0; i < fin; i++) out[i]!++;
        break;
      }
      case 'avgPool':
      case 'maxPool': {
        const next = onward();
        const [OH, OW] = outShape as [number, number, number];
        for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let kh = 0; kh < node.size[0]; kh++) for (let kw = 0; kw < node.size[1]; kw++) {
          const h = oh * node.strides[0] - node.pads[0] + kh;
          const w = ow * node.strides[1] - node.pads[2] + kw;
          if (h < 0 || h >= H || w < 0 || w >= W) continue;
          for (let c = 0; c < C; c++) out[at(h, w, c)]! += next[(oh * OW + ow) * C + c]!;
        }
        break;
      }
      case 'globalAvgPool': {
        const next = onward();
        for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) out[at(h, w, c)]! += next[c]!;
        break;
      }
      case 'pad': {
        const next = onward();
        const [, OW] = outShape as [number, number, number];
        for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) out[at(h, w, c)]! += next[((h + node.pads[0]) * OW + w + node.pads[2]) * C + c]!;
        break;
      }
      case 'concat': {
        const next = onward();
        const total = outShape[outShape.length - 1]!;
        let offset = 0;
        for (const input of node.inputs) {
          const s = graph.shapes.get(input)!;
          if (input === from) for (let p = 0; p < out.length / C; p++) for (let c = 0; c < C; c++) out[p * C + c]! += next[p * total + offset + c]!;
          offset += s[s.length - 1]!;
        }
        break;
      }
      case 'relu':
      case 'clip':
      case 'qcfs':
      case 'flatten':
      case 'add':
      case 'batchNorm':
      case 'softmax':
      case 'leakyRelu': {
        if (isSpiking(node)) {
          out.forEach((_, i) => out[i]!++); // straight into a spiking neuron: one synapse
          break;
        }
        const next = onward(); // a non-spiking op passes spikes on, element by element
        const times = node.inputs.filter((i) => i === from).length;
        for (let i = 0; i < out.length; i++) out[i]! += times * next[i]!;
        break;
      }
    }
  }
  return out;
}
