import { invalidData, unsupported } from '../../../../common/errors';
import type { IrBuilder } from '../../common/ir-builder';
import type { OnnxGraph, OnnxNode } from '../onnx-proto';
import type { OnnxOpContext } from './handler';
import type { Value } from './values';

/** What the importer holds while it walks the graph; handlers reach it through their context. */
export interface ImportState {
  readonly graph: OnnxGraph;
  readonly b: IrBuilder;
  readonly values: Map<string, Value>;
  readonly consumers: ReadonlyMap<string, number>;
  readonly skip: Set<number>;
}

export function opContext(state: ImportState, node: OnnxNode, index: number): OnnxOpContext {
  const { values } = state;
  const where = `node '${node.name}' (${node.opType})`;
  const fail = (message: string) => unsupported(`${where}: ${message}`);
  const get = (i: number): Value => {
    const name = node.inputs[i];
    const v = name === undefined || name === '' ? undefined : values.get(name);
    if (v === undefined) throw invalidData(`${where}: input ${i} '${name ?? ''}' is not defined`);
    return v;
  };
  return {
    node,
    index,
    graph: state.graph,
    b: state.b,
    where,
    get,
    data(i = 0) {
      const v = get(i);
      if (v.kind === 'const') throw fail(`input ${i} is a constant, expected data`);
      return v;
    },
    constInput(i) {
      const v = get(i);
      if (v.kind !== 'const') throw fail(`input ${i} ('${node.inputs[i]}') must be a constant (weights or a folded shape)`);
      return v;
    },
    optionalConst(i) {
      const name = node.inputs[i];
      if (name === undefined || name === '') return undefined;
      const v = get(i);
      if (v.kind !== 'const') throw fail(`input ${i} must be a constant`);
      return v.values;
    },
    attribute: (name) => node.attributes.get(name),
    ints(name, fallback) {
      const a = node.attributes.get(name);
      return a === undefined ? fallback : [...a.ints];
    },
    int: (name, fallback) => node.attributes.get(name)?.i ?? fallback,
    float: (name, fallback) => node.attributes.get(name)?.f ?? fallback,
    set: (v) => void values.set(node.outputs[0]!, v),
    lookup: (name) => values.get(name),
    define: (name, v) => void values.set(name, v),
    readers: (name) => state.consumers.get(name) ?? 0,
    skip: (later) => void state.skip.add(later),
    unsupported: fail,
    invalid: (message) => invalidData(`${where}: ${message}`),
  };
}
