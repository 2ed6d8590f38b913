import { buildGraph } from '../../../common/ir/graph';
import type { Graph, IrNode, WeightTensor } from '../../../common/ir/types';

/**
 * Collects IR nodes and weights while an importer walks a source graph, with unique names, and
 * builds the checked graph at the end. Shared by the ONNX and Keras/TF.js importers.
 */
export class IrBuilder {
  readonly nodes: IrNode[] = [];
  readonly weights = new Map<string, WeightTensor>();
  private readonly names = new Set<string>();

  constructor(readonly inputName: string) {
    this.names.add(inputName);
  }

  /** A node name derived from `wanted`, unique in the graph. */
  unique(wanted: string): string {
    let name = wanted || 'node';
    for (let i = 2; this.names.has(name); i++) name = `${wanted}_${i}`;
    this.names.add(name);
    return name;
  }

  weight(name: string, shape: readonly number[], data: ArrayLike<number>): string {
    let key = name;
    for (let i = 2; this.weights.has(key); i++) key = `${name}_${i}`;
    this.weights.set(key, { shape: [...shape], data: Float32Array.from(data) });
    return key;
  }

  /** Adds a node (its name must come from `unique`) and returns its name. */
  add(node: IrNode): string {
    this.nodes.push(node);
    return node.name;
  }

  /**
   * y = s·x + t per channel, as a batch-norm node named `name` (from `unique`) with mean 0,
   * variance 1 and ε 0, which conversion folds like any other batch norm.
   */
  affine(name: string, input: string, s: ArrayLike<number>, t: ArrayLike<number>): string {
    const c = s.length;
    return this.add({
      name, op: 'batchNorm', inputs: [input], epsilon: 0,
      gamma: this.weight(`${name}/scale`, [c], s), beta: this.weight(`${name}/shift`, [c], t),
      mean: this.weight(`${name}/mean`, [c], new Array<number>(c).fill(0)), variance: this.weight(`${name}/variance`, [c], new Array<number>(c).fill(1)),
    });
  }

  build(args: { name: string; inputShape: readonly number[]; output: string; preprocessing?: { scale: number; offset: number } }): Graph {
    return buildGraph({
      name: args.name,
      input: { name: this.inputName, shape: args.inputShape },
      nodes: this.nodes,
      output: args.output,
      weights: this.weights,
      ...(args.preprocessing ? { preprocessing: args.preprocessing } : {}),
    });
  }
}

/** OIHW (ONNX, PyTorch) convolution weights to HWIO (the IR's tfjs layout). */
export function oihwToHwio(values: ArrayLike<number>, o: number, i: number, h: number, w: number): Float32Array {
  const out = new Float32Array(o * i * h * w);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) out[((y * w + x) * i + b) * o + a] = values[((a * i + b) * h + y) * w + x]!;
      }
    }
  }
  return out;
}

/**
 * Rows of a dense kernel [F, out] that follows a flatten of a channel-first [C, H, W] map,
 * reordered for the IR's channel-last flatten: IR row (h·W + w)·C + c takes source row
 * (c·H + h)·W + w.
 */
export function chwRowsToHwc(kernel: ArrayLike<number>, c: number, h: number, w: number, out: number): Float32Array {
  const result = new Float32Array(c * h * w * out);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((ch * h + y) * w + x) * out;
        const dst = ((y * w + x) * c + ch) * out;
        for (let k = 0; k < out; k++) result[dst + k] = kernel[src + k]!;
      }
    }
  }
  return result;
}

/** Spatial padding for 'same'-style padding: total = max(0, (⌈n/s⌉ − 1)·s + (k − 1)·d + 1 − n). */
export function samePadding(size: number, kernel: number, stride: number, dilation: number, extraAtEnd: boolean): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size);
  const small = Math.floor(total / 2);
  return extraAtEnd ? [small, total - small] : [total - small, small];
}
