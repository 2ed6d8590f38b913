import { unsupported } from '../../common/errors';
import { buildGraph } from '../../common/ir/graph';
import { isActivation, type Graph, type IrNode, type PoolNode } from '../../common/ir/types';
import type { MaxPoolPolicy } from '../../common/study';

/**
 * What becomes of each max pool of a graph under the `exact` and `spiking` policies (study.ts):
 *
 * - A pool whose input is constant in time (direct coding, before any spiking layer) computes in
 *   the SNN exactly what it computes in the ANN: it stays.
 * - A pool right after an activation whose own input is constant in time (conv → relu → maxpool
 *   on direct coding) moves before the activation: relu, clip and QCFS are non-decreasing, so
 *   act(maxpool(z)) = maxpool(act(z)) element for element, the ANN's output is unchanged bit for
 *   bit, and the spiking layer then receives the pooled analog current.
 * - Any other pool sees spike trains. `exact` refuses it by name; `spiking` pools them by
 *   accumulated count (simulate/accumulated-max-pool.ts), which needs its input to be a spiking
 *   layer's spikes.
 */
export interface MaxPoolPlan {
  readonly graph: Graph;
  /** Pools kept or moved, exact in the SNN. */
  readonly exact: readonly string[];
  /** Pools over spike trains (accumulated-count max pool). */
  readonly spiking: readonly string[];
  readonly notes: readonly string[];
}

export function planMaxPools(source: Graph, policy: Extract<MaxPoolPolicy, 'exact' | 'spiking'>, staticInput: boolean): MaxPoolPlan {
  let nodes = [...source.nodes];
  let output = source.output;
  const exact: string[] = [];
  const spiking: string[] = [];
  const notes: string[] = [];
  for (const name of source.nodes.filter((n) => n.op === 'maxPool').map((n) => n.name)) {
    const temporal = temporalNodes(nodes, source.input.name, staticInput);
    const index = nodes.findIndex((n) => n.name === name);
    const pool = nodes[index] as PoolNode;
    const inputName = pool.inputs[0]!;
    if (!temporal.has(inputName)) {
      exact.push(name);
      notes.push(`max pool '${name}' kept: its input is constant in time, so the SNN pools exactly what the ANN pools`);
      continue;
    }
    const activationIndex = nodes.findIndex((n) => n.name === inputName);
    const activation = nodes[activationIndex];
    const consumers = nodes.filter((n) => n.inputs.includes(inputName)).length + (output === inputName ? 1 : 0);
    if (activation !== undefined && isActivation(activation) && !temporal.has(activation.inputs[0]!) && consumers === 1) {
      // act → pool becomes pool → act under the activation's name, so the spiking layer keeps
      // its name and whatever read the pool now reads the activation.
      const moved: IrNode = { ...pool, inputs: [activation.inputs[0]!] };
      const relinked: IrNode = { ...activation, inputs: [name] };
      nodes = nodes.flatMap((n, i) => (i === activationIndex ? [moved, relinked] : i === index ? [] : [rewire(n, name, activation.name)]));
      if (output === name) output = activation.name;
      exact.push(name);
      notes.push(`max pool '${name}' moved before the activation '${activation.name}': it pools the constant analog current, exactly as the ANN (the activation is non-decreasing)`);
      continue;
    }
    const why = `its input '${inputName}' carries spikes (it comes after a spiking layer${staticInput ? '' : ' or a spiking input'})`;
    if (policy === 'exact') {
      throw unsupported(`max pool '${name}' cannot be exact in the SNN: ${why}; use --maxpool spiking (max over accumulated spike counts) or --maxpool avg`);
    }
    if (activation === undefined || !isActivation(activation)) {
      throw unsupported(`max pool '${name}': ${why}, and the spiking max pool needs its input to be a spiking layer ('${inputName}' is ${activation?.op ?? 'the graph input'}); use --maxpool avg`);
    }
    spiking.push(name);
    notes.push(`max pool '${name}' pools the spikes of '${inputName}' by accumulated count (its output's spike count up to every step is the largest input count)`);
  }
  return { graph: buildGraph({ ...source, nodes, output }), exact, spiking, notes };
}

/** Nodes whose value changes over the time steps: every spiking activation and all after it
 * (and everything, when the input itself is spikes or per-step frames). */
function temporalNodes(nodes: readonly IrNode[], input: string, staticInput: boolean): Set<string> {
  const temporal = new Set<string>(staticInput ? [] : [input]);
  for (const node of nodes) if (isActivation(node) || node.inputs.some((i) => temporal.has(i))) temporal.add(node.name);
  return temporal;
}

function rewire(node: IrNode, from: string, to: string): IrNode {
  return node.inputs.includes(from) ? { ...node, inputs: node.inputs.map((i) => (i === from ? to : i)) } : node;
}
