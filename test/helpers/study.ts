import { STUDY_DEFAULTS, type StudySpec } from '../../src-main/common/study';

type Study = StudySpec & { methods: StudySpec['methods'][number][]; timesteps: number[]; seeds: number[] };

/** A small conversion study with the workbench's defaults; tests override what they vary. */
export function study(overrides: Partial<StudySpec> = {}): Study {
  return { ...STUDY_DEFAULTS, methods: ['if', 'tpp'], timesteps: [2, 4], seeds: [0], ...overrides } as Study;
}
