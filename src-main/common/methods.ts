import type { NeuronKind } from './snn';

/** The methods a study compares: IF, IF with the Permute probe, and the two TPP variants. */
export const METHODS = ['if', 'if-permute', 'tpp', 'tpp-iid'] as const;
export type Method = (typeof METHODS)[number];

export function neuronOf(method: Method): NeuronKind {
  return method === 'if-permute' ? 'if' : method;
}
