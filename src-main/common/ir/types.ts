/**
 * The graph IR every model file becomes. Tensors are NHWC; shapes here exclude the batch axis
 * (`[H, W, C]` for feature maps, `[F]` for vectors). Edges are named by the node that produces
 * them. Importers only build this; conversion and simulation only read it.
 *
 * Weight layouts (tfjs conventions, so the engine can hand them to tfjs unchanged):
 * - conv2d kernel `[kh, kw, cin / groups, cout]`, bias `[cout]`
 * - dense kernel `[in, out]`, bias `[out]`
 * - batchNorm gamma, beta, mean, variance `[C]`
 * - qcfs lambda `[1]` (per layer) or `[C]` (per channel)
 */

export type Pair = readonly [number, number];
/** Explicit zero padding: top, bottom, left, right. */
export type Pads = readonly [number, number, number, number];

interface NodeBase {
  readonly name: string;
  readonly inputs: readonly string[];
}

export interface Conv2dNode extends NodeBase {
  readonly op: 'conv2d';
  readonly kernel: string;
  readonly bias?: string;
  readonly strides: Pair;
  readonly pads: Pads;
  readonly dilations: Pair;
  readonly groups: number;
}

export interface DenseNode extends NodeBase {
  readonly op: 'dense';
  readonly kernel: string;
  readonly bias?: string;
}

export interface BatchNormNode extends NodeBase {
  readonly op: 'batchNorm';
  readonly gamma: string;
  readonly beta: string;
  readonly mean: string;
  readonly variance: string;
  readonly epsilon: number;
}

export interface ReluNode extends NodeBase {
  readonly op: 'relu';
}

/** clip(x, min, max); with min = 0 it is a capped ReLU (ReLU6 and friends). */
export interface ClipNode extends NodeBase {
  readonly op: 'clip';
  readonly min: number;
  readonly max: number;
}

/** QCFS(z) = λ·clip(floor(z·L/λ + 1/2)/L, 0, 1) with a trained λ (Bu et al., ICLR 2022). */
export interface QcfsNode extends NodeBase {
  readonly op: 'qcfs';
  readonly lambda: string;
  readonly levels: number;
}

export interface PoolNode extends NodeBase {
  readonly op: 'avgPool' | 'maxPool';
  readonly size: Pair;
  readonly strides: Pair;
  readonly pads: Pads;
  /** Average pooling only: whether padded zeros count in the divisor (PyTorch default true). */
  readonly countIncludePad: boolean;
}

export interface GlobalAvgPoolNode extends NodeBase {
  readonly op: 'globalAvgPool';
}

/** Row-major flatten of the NHWC sample. */
export interface FlattenNode extends NodeBase {
  readonly op: 'flatten';
}

export interface AddNode extends NodeBase {
  readonly op: 'add';
}

/** Concatenation along the channel (last) axis. */
export interface ConcatNode extends NodeBase {
  readonly op: 'concat';
}

export interface SoftmaxNode extends NodeBase {
  readonly op: 'softmax';
}

/** max(x, α·x): runs in the ANN; conversion refuses it (negative outputs cannot spike). */
export interface LeakyReluNode extends NodeBase {
  readonly op: 'leakyRelu';
  readonly alpha: number;
}

/** Spatial zero padding (top, bottom, left, right) of an [H, W, C] map. */
export interface PadNode extends NodeBase {
  readonly op: 'pad';
  readonly pads: Pads;
}

export type IrNode =
  | Conv2dNode
  | DenseNode
  | BatchNormNode
  | ReluNode
  | ClipNode
  | QcfsNode
  | PoolNode
  | GlobalAvgPoolNode
  | FlattenNode
  | AddNode
  | ConcatNode
  | SoftmaxNode
  | LeakyReluNode
  | PadNode;

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What an importer or the model file hands over; `buildGraph` checks it and infers shapes. */
export interface GraphSpec {
  readonly name: string;
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  /** In topological order: every input of a node is the graph input or an earlier node. */
  readonly nodes: readonly IrNode[];
  readonly output: string;
  readonly weights: ReadonlyMap<string, WeightTensor>;
  /** How raw input values map to what the model expects, when the source records it. */
  readonly preprocessing?: { readonly scale: number; readonly offset: number };
}

export interface Graph extends GraphSpec {
  /** Per-sample output shape of every node and of the input. */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
}

/** Activation nodes: the ones a conversion replaces with spiking neurons. */
export type ActivationNode = ReluNode | ClipNode | QcfsNode;

export function isActivation(node: IrNode): node is ActivationNode {
  return node.op === 'relu' || node.op === 'clip' || node.op === 'qcfs';
}
