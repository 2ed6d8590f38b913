import type { StudySpec } from '../../src-main/common/study';

/** A small conversion study with the workbench's defaults; tests override what they vary. */
export function study(overrides: Partial<StudySpec> = {}): StudySpec & { methods: StudySpec['methods'][number][]; timesteps: number[]; seeds: number[] } {
  return {
    methods: ['if', 'tpp'],
    timesteps: [2, 4],
    seeds: [0],
    threshold: { kind: 'percentile', percentile: 99.9 },
    perChannel: false,
    reset: 'subtract',
    v0: 'zero',
    shift: false,
    encoding: 'direct',
    permute: 'neuron',
    maxPool: 'refuse',
    ...overrides,
  } as StudySpec & { methods: StudySpec['methods'][number][]; timesteps: number[]; seeds: number[] };
}
