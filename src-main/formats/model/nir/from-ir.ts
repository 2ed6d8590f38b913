import { unsupported } from '../../../common/errors';
import { consumersOf, numel } from '../../../common/ir/graph';
import type { IrNode, WeightTensor } from '../../../common/ir/types';
import type { Method } from '../../../common/methods';
import { neuronOf } from '../../../common/methods';
import { thresholdLabel, type SnnModel, type SpikingLayer } from '../../../common/snn';
import { UNIT_GAIN, gainAt, isUnitGain, sameGain, scaleGain, type Gain } from './gain';
import { f32, i64, i64Scalar, metaDataset, str, type H5Dataset, type H5Entry, type H5Group, type MetaValue } from './tree';

/**
 * A converted network (graph IR + SNN spec) as a NIR graph (neuromorphs/NIR 1.0, the layout
 * nir.write produces): `version`, and `node` = NIRGraph { nodes: {…}, edges: [[from, to]…] }.
 *
 * Primitives: Input, Conv2d, Affine, SumPool2d (average pooling whose 1/(kh·kw) is folded into
 * the next weighted layer, so readers without AvgPool2d — sinabs — load it exactly; AvgPool2d
 * where no weighted layer follows), Flatten, IF, Scale, Output. A workbench spike is worth θ
 * (the rate times θ stands for the ANN activation) and a NIR IF spike 1, so each spiking layer's
 * θ (per channel when so calibrated) is folded into the input weights of the weighted layer that
 * reads it; where none does (a residual add meeting a weighted path, the output), a Scale node
 * applies it (gain.ts). Several edges into one node add up (NIR
 * semantics), which is how `add` is written. Layout: NIR is PyTorch's NCHW, the IR is NHWC, so
 * conv kernels become [out, in, kh, kw], feature shapes [C, H, W], and the dense layer after a
 * flatten has its inputs reordered from H·W·C to C·H·W order.
 *
 * IF: NIR 1.0's IF (v' = R·I; spike when v > θ; then v ← v − θ) is the workbench's IF with
 * subtract reset, one threshold per neuron. The file holds v_threshold = θ broadcast over the
 * layer and r = 1 (no v_reset: nir 1.0.4 refuses the field), and says in metadata what NIR cannot:
 * the reset mode (a zero-reset network is still simulated with subtraction by NIR 1.0 readers),
 * v0, the bias shift, T, the input encoding, the input transform x·scale + offset (applied before
 * the Input node: not part of the graph) and the readout (the output node's values averaged over
 * steps). sinabs reads IF as its IAF with subtract reset (membrane floored at −θ). Later NIR
 * versions give IF a v_reset and reset to it (0 when absent), so they read the same file as
 * zero reset. Only IF nodes and the graph carry metadata (nir 1.0.4's Conv2d, AvgPool2d, Input
 * and Output refuse it); IR names that HDF5 cannot hold go in the graph's `tppw_nodes` map.
 * TPP and the Permute probe have no NIR primitive: their networks are
 * written as the IF skeleton (same weights and thresholds) with `neuron` = tpp / tpp-iid or
 * `permute` in metadata; the workbench reads them back as they were, other tools simulate IF.
 */
export const NIR_VERSION = '1.0.4';

export interface NirExportOptions {
  readonly method: Method;
  readonly timesteps: number;
  /** Goes into the graph metadata, e.g. "TPP Workbench 0.1.0, run 3". */
  readonly source: string;
}

interface Source {
  /** NIR nodes whose outputs add up to this tensor. */
  readonly nodes: readonly string[];
  /** What the IR's tensor is, channel by channel, times the NIR nodes' output (gain.ts): average
   * pooling written as sum pooling (1/k²), a spiking layer's unit spikes (θ). Folded into the next
   * weighted layer's input weights, or written as a NIR Scale node where none can take it. */
  readonly scale: Gain;
  /** Set when this 1-D tensor is an NHWC map flattened by the IR (H·W·C order); NIR's Flatten gives C·H·W. */
  readonly flattenedFrom?: readonly [number, number, number];
}

export function snnToNir(model: SnnModel, options: NirExportOptions): { readonly file: H5Group; readonly notes: readonly string[] } {
  const { graph, snn } = model;
  const neuron = neuronOf(options.method);
  const spiking = new Map<string, SpikingLayer>(snn.layers.map((l) => [l.node, l]));
  const consumers = consumersOf(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const nodes: Record<string, H5Entry> = {};
  const edges: [string, string][] = [];
  const notes: string[] = [];
  const sources = new Map<string, Source>();
  const names = new Set<string>(['input', 'output']);
  const refused: string[] = [];

  // HDF5 paths use '/': IR names like 'fire2/squeeze1x1' are stored with '_' and kept in metadata.
  const nirName = (ir: string): string => {
    let base = ir.replace(/[/.]/g, '_') || 'node';
    if (base === 'input' || base === 'output') base = `${base}_node`;
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const renamed: Record<string, string> = {};
  const add = (name: string, entries: Record<string, H5Entry>, from: Source, ir?: string): void => {
    nodes[name] = { group: entries };
    if (ir !== undefined && ir !== name) renamed[name] = ir;
    for (const n of from.nodes) edges.push([n, name]);
  };
  const chw = (shape: readonly number[]): number[] => (shape.length === 3 ? [shape[2]!, shape[0]!, shape[1]!] : [...shape]);
  const weight = (name: string): WeightTensor => {
    const w = graph.weights.get(name);
    if (w === undefined) throw unsupported(`weight '${name}' is missing from the network`);
    return w;
  };
  /** Whether every path from this node reaches a weighted layer (through flattens) before anything else. */
  const feedsWeightedOnly = (name: string): boolean => {
    const next = consumers.get(name) ?? [];
    if (next.length === 0 || name === graph.output) return false;
    return next.every((c) => {
      const node = byName.get(c)!;
      return node.op === 'conv2d' || node.op === 'dense' || (node.op === 'flatten' && feedsWeightedOnly(c));
    });
  };

  /** A NIR Scale node that applies a pending gain, for a tensor no weighted layer takes next. */
  const settle = (src: Source, ir: string): Source => {
    if (isUnitGain(src.scale)) return src;
    const shape = chw(graph.shapes.get(ir)!);
    const per = numel(shape) / shape[0]!;
    const values = new Float32Array(numel(shape));
    // NCHW order: images, and vectors NIR's Flatten made of them (C·H·W); else entries are channels.
    const hw = src.flattenedFrom === undefined ? undefined : src.flattenedFrom[0] * src.flattenedFrom[1];
    for (let j = 0; j < values.length; j++) values[j] = gainAt(src.scale, shape.length === 3 ? Math.floor(j / per) : hw !== undefined ? Math.floor(j / hw) : j);
    const name = nirName(`${ir}_scale`);
    add(name, { type: str('Scale'), scale: f32(values, shape) }, src);
    return { ...src, nodes: [name], scale: UNIT_GAIN };
  };

  const inputShape = graph.shapes.get(graph.input.name)!;
  nodes['input'] = { group: { type: str('Input'), shape: i64(chw(inputShape)) } };
  sources.set(graph.input.name, { nodes: ['input'], scale: UNIT_GAIN });

  for (const node of graph.nodes) {
    const from = node.inputs.map((i) => sources.get(i));
    if (from.some((f) => f === undefined)) continue; // an input was refused: reported below
    const src = from[0]!;
    const inShape = graph.shapes.get(node.inputs[0] ?? '') ?? [];
    const outShape = graph.shapes.get(node.name)!;
    const refuse = (why: string): void => {
      refused.push(`'${node.name}' (${node.op}): ${why}`);
    };
    switch (node.op) {
      case 'conv2d': {
        const [top, bottom, left, right] = node.pads;
        if (top !== bottom || left !== right) {
          refuse(`asymmetric padding [${node.pads.join(', ')}]: NIR's Conv2d pads both sides alike`);
          break;
        }
        const k = weight(node.kernel);
        const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
        // [kh, kw, cin, cout] → [cout, cin, kh, kw], times the pending gain of each input channel
        // (cin per group: output o of group ⌊o / (cout / groups)⌋ reads channels from group·cin).
        const w = new Float32Array(k.data.length);
        const perGroup = cout / node.groups;
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++) w[((o * cin + i) * kh + y) * kw + x] = k.data[((y * kw + x) * cin + i) * cout + o]! * gainAt(src.scale, Math.floor(o / perGroup) * cin + i);
        const name = nirName(node.name);
        add(name, {
          type: str('Conv2d'),
          weight: f32(w, [cout, cin, kh, kw]),
          bias: f32(node.bias ? Float32Array.from(weight(node.bias).data) : new Float32Array(cout), [cout]),
          stride: i64([...node.strides]),
          padding: i64([top, left]),
          dilation: i64([...node.dilations]),
          groups: i64Scalar(node.groups),
          input_shape: i64([inShape[0]!, inShape[1]!]),
        }, src, node.name);
        sources.set(node.name, { nodes: [name], scale: UNIT_GAIN });
        break;
      }
      case 'dense': {
        const k = weight(node.kernel);
        const [fin, fout] = k.shape as [number, number];
        // [in, out] → [out, in]; after an NHWC flatten, input j = (h·W + w)·C + c moves to c·H·W + h·W + w.
        // The gain is per channel: of an NHWC-flattened input j, channel j mod C; else per input.
        const order = src.flattenedFrom === undefined ? null : hwcToChw(src.flattenedFrom);
        const channels = src.flattenedFrom?.[2];
        const w = new Float32Array(fin * fout);
        for (let i = 0; i < fin; i++) {
          const col = order === null ? i : order[i]!;
          const g = gainAt(src.scale, channels === undefined ? i : i % channels);
          for (let o = 0; o < fout; o++) w[o * fin + col] = k.data[i * fout + o]! * g;
        }
        const name = nirName(node.name);
        add(name, { type: str('Affine'), weight: f32(w, [fout, fin]), bias: f32(node.bias ? Float32Array.from(weight(node.bias).data) : new Float32Array(fout), [fout]) }, src, node.name);
        sources.set(node.name, { nodes: [name], scale: UNIT_GAIN });
        break;
      }
      case 'relu':
      case 'clip':
      case 'qcfs': {
        const layer = spiking.get(node.name);
        if (layer === undefined) {
          refuse('an activation that is not a spiking layer has no NIR primitive');
          break;
        }
        if (!isUnitGain(src.scale)) {
          refuse('no weighted layer between it and the average pooling or spiking layer before it');
          break;
        }
        if (layer.potentialCorrection !== undefined) {
          refuse('SNNC advanced calibration gives each neuron its own initial potential, which NIR cannot hold');
          break;
        }
        if (layer.biasCorrection !== undefined) {
          // SNNC light calibration adds a per-channel current every step: the same as a bias change
          // of the weighted layer feeding this one, when it feeds nothing else.
          const feeder = src.nodes.length === 1 ? nodes[src.nodes[0]!] : undefined;
          const bias = feeder !== undefined && 'group' in feeder ? feeder.group['bias'] : undefined;
          const only = node.inputs.length === 1 && (consumers.get(node.inputs[0]!) ?? []).length === 1 && ['conv2d', 'dense'].includes(byName.get(node.inputs[0]!)?.op ?? '');
          if (bias === undefined || 'group' in bias || bias.dtype !== 'f32' || !only) {
            refuse('its SNNC bias correction has no weighted layer of its own to go into');
            break;
          }
          const correction = weight(layer.biasCorrection).data;
          for (let c = 0; c < bias.data.length; c++) bias.data[c] = bias.data[c]! + correction[correction.length === 1 ? 0 : c]!;
          notes.push(`'${node.name}': the SNNC bias correction is folded into the bias of '${node.inputs[0]}'`);
        }
        const theta = weight(layer.threshold).data;
        const shape = chw(outShape);
        const n = numel(shape);
        const channels = shape[0]!;
        const per = n / channels;
        const v = new Float32Array(n);
        // NCHW order: index = c·(H·W) + position; per-layer θ has one value.
        for (let c = 0; c < channels; c++) v.fill(theta.length === 1 ? theta[0]! : theta[c]!, c * per, (c + 1) * per);
        const name = nirName(node.name);
        nodes[name] = {
          group: {
            type: str('IF'),
            r: f32(new Float32Array(n).fill(1), shape),
            v_threshold: f32(v, shape),
            metadata: meta({ neuron: layer.neuron === 'if' ? neuron : layer.neuron, reset: layer.reset, v0: layer.v0, shift: layer.shift, threshold_per_channel: theta.length > 1 }),
          },
        };
        if (name !== node.name) renamed[name] = node.name;
        for (const s of src.nodes) edges.push([s, name]);
        // A NIR spike is 1 where the workbench's is worth θ: what follows reads θ-times its output.
        const perChannel = theta.length === 1 ? Float32Array.of(theta[0]!) : Float32Array.from(theta);
        sources.set(node.name, { nodes: [name], scale: perChannel, ...(src.flattenedFrom ? { flattenedFrom: src.flattenedFrom } : {}) });
        break;
      }
      case 'avgPool':
      case 'globalAvgPool': {
        const [h, w, c] = inShape as [number, number, number];
        const size = node.op === 'avgPool' ? node.size : ([h, w] as const);
        const strides = node.op === 'avgPool' ? node.strides : ([h, w] as const);
        const pads = node.op === 'avgPool' ? node.pads : ([0, 0, 0, 0] as const);
        if (pads[0] !== pads[1] || pads[2] !== pads[3]) {
          refuse(`asymmetric padding [${pads.join(', ')}]`);
          break;
        }
        if (node.op === 'avgPool' && pads.some((p) => p > 0) && !node.countIncludePad) {
          refuse('average pooling over padding that excludes the padded zeros from its divisor has no NIR primitive');
          break;
        }
        const sum = feedsWeightedOnly(node.name);
        const name = nirName(node.name);
        add(name, { type: str(sum ? 'SumPool2d' : 'AvgPool2d'), kernel_size: i64([...size]), stride: i64([...strides]), padding: i64([pads[0], pads[2]]) }, src, node.name);
        // Pooling is linear and per channel, so a pending gain passes through it.
        const scale = sum ? scaleGain(src.scale, 1 / (size[0] * size[1])) : src.scale;
        if (node.op === 'avgPool') {
          sources.set(node.name, { nodes: [name], scale });
        } else {
          // Global pooling gives [C] in the IR: NIR's [C, 1, 1] is flattened (C·1·1 is C·H·W order already).
          const flat = nirName(`${node.name}_flatten`);
          add(flat, { type: str('Flatten'), start_dim: i64Scalar(0), end_dim: i64Scalar(-1), input_type: i64([c, 1, 1]) }, { nodes: [name], scale: UNIT_GAIN });
          sources.set(node.name, { nodes: [flat], scale });
        }
        break;
      }
      case 'flatten': {
        if (inShape.length === 1) {
          sources.set(node.name, src);
          break;
        }
        const [h, w, c] = inShape as [number, number, number];
        const name = nirName(node.name);
        add(name, { type: str('Flatten'), start_dim: i64Scalar(0), end_dim: i64Scalar(-1), input_type: i64([c, h, w]) }, src, node.name);
        sources.set(node.name, { nodes: [name], scale: src.scale, flattenedFrom: [h, w, c] });
        break;
      }
      case 'add': {
        if ((from as Source[]).some((f) => f.flattenedFrom?.join() !== src.flattenedFrom?.join())) {
          refuse('its inputs differ in layout');
          break;
        }
        // NIR adds the inputs of a node: the sum is the union of the sources, once their gains
        // agree (a residual path from a spiking layer meets one from a weighted layer: Scale nodes).
        const all = (from as Source[]).every((f) => sameGain(f.scale, src.scale)) ? (from as Source[]) : (from as Source[]).map((f, i) => settle(f, node.inputs[i]!));
        sources.set(node.name, { nodes: all.flatMap((f) => f.nodes), scale: all[0]!.scale, ...(src.flattenedFrom ? { flattenedFrom: src.flattenedFrom } : {}) });
        break;
      }
      case 'softmax':
        // Prepared networks have none; a softmax at the output does not change the argmax readout.
        notes.push(`'${node.name}' (softmax) is left out: the readout averages the outputs before it`);
        sources.set(node.name, src);
        break;
      case 'pad':
      case 'concat':
      case 'maxPool':
      case 'batchNorm':
      case 'leakyRelu':
        refuse(
          node.op === 'concat'
            ? 'NIR has no concatenation node'
            : node.op === 'pad'
              ? 'NIR has no padding node (only a convolution pads)'
              : node.op === 'maxPool'
                ? 'max pooling is not spike-compatible (convert with --maxpool avg)'
                : node.op === 'batchNorm'
                  ? 'an unfolded batch norm has no NIR primitive'
                  : 'a leaky ReLU cannot spike',
        );
        break;
      default:
        exhaustive(node);
    }
  }
  if (refused.length > 0) throw unsupported(`the network has no NIR form: ${refused.join('; ')}`);
  const out = settle(sources.get(graph.output)!, graph.output);
  nodes['output'] = { group: { type: str('Output'), shape: i64(chw(graph.shapes.get(graph.output)!)) } };
  for (const n of out.nodes) edges.push([n, 'output']);

  const t = snn.thresholds;
  const first = snn.layers[0];
  const metadata: Record<string, MetaValue> = {
    source: options.source,
    model: graph.name,
    method: options.method,
    neuron,
    timesteps: options.timesteps,
    reset: first?.reset ?? 'subtract',
    v0: first?.v0 ?? 'zero',
    shift: first?.shift ?? false,
    encoding: snn.encoding,
    readout: 'mean over steps of the output node (argmax = prediction)',
    input_scale: graph.preprocessing?.scale ?? 1,
    input_offset: graph.preprocessing?.offset ?? 0,
    input_transform: 'x·input_scale + input_offset before the Input node, every step (direct coding) or as the Bernoulli rate (rate coding)',
    threshold_method: thresholdLabel(t.method),
    threshold_per_channel: t.perChannel,
    calibration_samples: t.calibrationSamples,
    ...(t.calibration !== undefined ? { snnc_calibration: t.calibration } : {}),
    ...(t.percentileOf !== undefined ? { percentile_of: t.percentileOf } : {}),
    layout: 'NCHW (PyTorch); the workbench IR is NHWC',
    reset_semantics:
      "IF nodes: v_threshold = θ, r = 1, no v_reset. The workbench's IF fires when v ≥ θ, then subtracts θ ('reset' says subtract or zero), as NIR 1.0's IF does; sinabs reads it as IAF with subtract reset (membrane floored at −θ); NIR versions with v_reset read it as reset to 0",
    ...(Object.keys(renamed).length > 0 ? { tppw_nodes: JSON.stringify(renamed) } : {}),
  };
  if (neuron !== 'if' || options.method === 'if-permute') {
    metadata['no_nir_primitive'] =
      options.method === 'if-permute'
        ? 'the Permute probe (spike trains permuted in time after each spiking layer) has no NIR primitive: this is the IF network it permutes'
        : `${neuron} (two-phase probabilistic neurons: accumulate T steps, then fire T steps) has no NIR primitive: this is the IF skeleton with the same thresholds; other tools simulate IF`;
    if (options.method === 'if-permute') metadata['permute'] = 'neuron';
    notes.push(String(metadata['no_nir_primitive']));
  }
  const edgeData: H5Dataset = { dtype: 'str', shape: [edges.length, 2], data: edges.flat() };
  const file: H5Group = {
    group: {
      version: str(NIR_VERSION),
      node: { group: { type: str('NIRGraph'), nodes: { group: nodes }, edges: edgeData, metadata: meta(metadata) } },
    },
  };
  return { file, notes };
}

function meta(values: Record<string, MetaValue>): H5Group {
  return { group: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, metaDataset(v)])) };
}

/** For each NHWC-flattened index (h·W + w)·C + c, its NCHW-flattened index c·H·W + h·W + w. */
export function hwcToChw([h, w, c]: readonly [number, number, number]): Int32Array {
  const order = new Int32Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) order[(y * w + x) * c + k] = k * h * w + y * w + x;
  return order;
}

function exhaustive(node: never): never {
  throw unsupported(`node '${(node as IrNode).name}' (${(node as IrNode).op}) has no NIR form`);
}

