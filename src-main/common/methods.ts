import type { NeuronKind } from './snn';

/** The methods a study compares: IF, IF with the Permute probe, and the two TPP variants. */
export const METHODS = ['if', 'if-permute', 'tpp', 'tpp-iid'] as const;
export type Method = (typeof METHODS)[number];

export function neuronOf(method: Method): NeuronKind {
  return method === 'if-permute' ? 'if' : method;
}

/** How the methods are named to people (GUI, reports). */
export const METHOD_LABELS: Readonly<Record<Method, string>> = { if: 'IF', 'if-permute': 'IF-Permute (probe)', tpp: 'TPP', 'tpp-iid': 'TPP-iid' };
