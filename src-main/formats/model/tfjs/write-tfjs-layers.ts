import { unsupported } from '../../../common/errors';
import type { Graph, IrNode } from '../../../common/ir/types';

/**
 * Graph IR → a TensorFlow.js layers model: `model.json` (a functional Keras model topology and
 * one weights manifest group) and one binary shard. The result loads in `tf.loadLayersModel` and
 * back in this workbench. Explicit padding becomes ZeroPadding2D layers; nodes with no Keras
 * layer equivalent (QCFS, grouped convolutions other than depthwise, max pooling over padding)
 * are refused with their names.
 */
export interface TfjsArtifacts {
  readonly modelJson: {
    readonly format: 'layers-model';
    readonly generatedBy: string;
    readonly convertedBy: null;
    readonly modelTopology: unknown;
    readonly weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: 'float32' }[] }[];
    /** The input preprocessing, when the graph records it (read back by this workbench). */
    readonly userDefinedMetadata?: { readonly tppw: { readonly preprocessing: { readonly scale: number; readonly offset: number } } };
  };
  readonly weights: Uint8Array;
}

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
  name: string;
  inbound_nodes: [string, number, number, Record<string, never>][][];
}

export function exportTfjsLayers(graph: Graph, shardName = 'model.weights.bin'): TfjsArtifacts {
  const problems: string[] = [];
  const layers: KerasLayer[] = [];
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const chunks: Float32Array[] = [];
  const usedNames = new Set<string>();
  const unique = (wanted: string): string => {
    const base = wanted.replace(/[^A-Za-z0-9_.-]/g, '_') || 'layer';
    let name = base;
    for (let i = 2; usedNames.has(name); i++) name = `${base}_${i}`;
    usedNames.add(name);
    return name;
  };
  // IR edge name → Keras layer name producing it
  const producer = new Map<string, string>();
  const inputName = unique(graph.input.name);
  producer.set(graph.input.name, inputName);
  layers.push({ class_name: 'InputLayer', name: inputName, inbound_nodes: [], config: { batch_input_shape: [null, ...graph.input.shape], dtype: 'float32', sparse: false, name: inputName } });

  const addLayer = (className: string, wanted: string, inputs: string[], config: Record<string, unknown>, weights: [string, readonly number[], Float32Array][] = []): string => {
    const name = unique(wanted);
    layers.push({ class_name: className, name, config: { ...config, name, trainable: true }, inbound_nodes: [inputs.map((i) => [i, 0, 0, {}])] });
    for (const [role, shape, values] of weights) {
      specs.push({ name: `${name}/${role}`, shape: [...shape], dtype: 'float32' });
      chunks.push(values);
    }
    return name;
  };
  const w = (name: string): Float32Array => graph.weights.get(name)!.data;
  const padLayer = (node: IrNode, input: string, pads: readonly number[]): string =>
    pads.every((p) => p === 0) ? input : addLayer('ZeroPadding2D', `${node.name}_pad`, [input], { padding: [[pads[0], pads[1]], [pads[2], pads[3]]], data_format: 'channels_last' });

  for (const node of graph.nodes) {
    const ins = node.inputs.map((i) => producer.get(i)!);
    if (ins.some((i) => i === undefined)) continue;
    const inShape = graph.shapes.get(node.inputs[0]!) ?? [];
    let out: string | undefined;
    switch (node.op) {
      case 'conv2d': {
        const kernel = graph.weights.get(node.kernel)!;
        const [kh, kw, kin, cout] = kernel.shape as [number, number, number, number];
        const cin = inShape[2]!;
        const common = { kernel_size: [kh, kw], strides: [...node.strides], padding: 'valid', data_format: 'channels_last', dilation_rate: [...node.dilations], activation: 'linear', use_bias: node.bias !== undefined };
        const bias: [string, readonly number[], Float32Array][] = node.bias ? [['bias', [cout], w(node.bias)]] : [];
        const x = padLayer(node, ins[0]!, node.pads);
        if (node.groups === 1) {
          out = addLayer('Conv2D', node.name, [x], { ...common, filters: cout }, [['kernel', kernel.shape, kernel.data], ...bias]);
        } else if (node.groups === cin && kin === 1) {
          out = addLayer('DepthwiseConv2D', node.name, [x], { ...common, depth_multiplier: cout / cin }, [['depthwise_kernel', [kh, kw, cin, cout / cin], kernel.data], ...bias]);
        } else {
          problems.push(`'${node.name}' (conv2d with ${node.groups} groups)`);
        }
        break;
      }
      case 'dense': {
        const kernel = graph.weights.get(node.kernel)!;
        out = addLayer('Dense', node.name, ins, { units: kernel.shape[1], activation: 'linear', use_bias: node.bias !== undefined }, [
          ['kernel', kernel.shape, kernel.data],
          ...(node.bias ? [['bias', [kernel.shape[1]!], w(node.bias)] as [string, readonly number[], Float32Array]] : []),
        ]);
        break;
      }
      case 'batchNorm': {
        const c = w(node.gamma).length;
        out = addLayer('BatchNormalization', node.name, ins, { axis: -1, epsilon: node.epsilon, momentum: 0.99, center: true, scale: true }, [
          ['gamma', [c], w(node.gamma)], ['beta', [c], w(node.beta)], ['moving_mean', [c], w(node.mean)], ['moving_variance', [c], w(node.variance)],
        ]);
        break;
      }
      case 'relu':
        out = addLayer('Activation', node.name, ins, { activation: 'relu' });
        break;
      case 'softmax':
        out = addLayer('Activation', node.name, ins, { activation: 'softmax' });
        break;
      case 'clip':
        if (node.min === 0) out = addLayer('ReLU', node.name, ins, { max_value: node.max === Infinity ? null : node.max });
        else problems.push(`'${node.name}' (clip with min ${node.min})`);
        break;
      case 'leakyRelu':
        out = addLayer('LeakyReLU', node.name, ins, { alpha: node.alpha });
        break;
      case 'pad':
        out = padLayer(node, ins[0]!, node.pads);
        break;
      case 'avgPool':
      case 'maxPool': {
        const padded = node.pads.some((p) => p > 0);
        if (padded && (node.op === 'maxPool' || !node.countIncludePad)) {
          problems.push(`'${node.name}' (${node.op} over padding that is not counted as zeros)`);
          break;
        }
        const x = padLayer(node, ins[0]!, node.pads);
        out = addLayer(node.op === 'maxPool' ? 'MaxPooling2D' : 'AveragePooling2D', node.name, [x], { pool_size: [...node.size], strides: [...node.strides], padding: 'valid', data_format: 'channels_last' });
        break;
      }
      case 'globalAvgPool':
        out = addLayer('GlobalAveragePooling2D', node.name, ins, { data_format: 'channels_last' });
        break;
      case 'flatten':
        out = addLayer('Flatten', node.name, ins, {});
        break;
      case 'add':
        out = addLayer('Add', node.name, ins, {});
        break;
      case 'concat':
        out = addLayer('Concatenate', node.name, ins, { axis: -1 });
        break;
      case 'qcfs':
        problems.push(`'${node.name}' (QCFS activation)`);
        break;
      default: {
        const never: never = node;
        return never;
      }
    }
    if (out !== undefined) producer.set(node.name, out);
  }
  if (problems.length > 0) throw unsupported(`graph '${graph.name}' cannot be written as a TensorFlow.js layers model: ${problems.join(', ')} have no Keras layer`);

  const total = chunks.reduce((a, c) => a + c.length, 0);
  const data = new Float32Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  const modelTopology = {
    class_name: 'Model',
    config: { name: graph.name, layers, input_layers: [[inputName, 0, 0]], output_layers: [[producer.get(graph.output)!, 0, 0]] },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < total; i++) view.setFloat32(4 * i, data[i]!, true);
  return {
    modelJson: {
      format: 'layers-model', generatedBy: 'TPP Workbench', convertedBy: null, modelTopology, weightsManifest: [{ paths: [shardName], weights: specs }],
      ...(graph.preprocessing ? { userDefinedMetadata: { tppw: { preprocessing: graph.preprocessing } } } : {}),
    },
    weights: bytes,
  };
}
