import { invalidArgument } from '../common/errors';
import { METHODS, type Method } from '../common/methods';
import { RESET_MODES, parseThresholdMethod, type V0Mode } from '../common/snn';
import { BACKEND_PREFERENCES, type BackendPreference } from '../engine/backend/select';
import { MAXPOOL_POLICIES, PERCENTILE_OF, PERMUTE_MODES, SNNC_MODES, STUDY_DEFAULTS, type StudyChoice } from '../common/study';
import { checkWritableFile } from '../formats/node/files';
import type { OptionKind, Options } from './args';

/** The conversion options `tppw convert`, `tppw demo` and `tppw runs start` share, with their defaults. */
export interface RunSettings {
  /** v0 is left undefined unless --v0 is given: the study runner applies the method's default. */
  readonly study: StudyChoice;
  readonly limit: number;
  /** Evaluate a seeded random subset of `limit` samples instead of the first ones. */
  readonly sampleSeed?: number;
  readonly calibration: number;
  readonly backend: BackendPreference;
  /** Simulation worker threads; default one per core on wasm/cpu, one on tensorflow. */
  readonly workers?: number;
  readonly json: boolean;
  readonly out?: string;
  readonly saveSnn?: string;
}

export const RUN_OPTIONS: Record<string, OptionKind> = {
  method: 'string',
  timesteps: 'string',
  seeds: 'string',
  threshold: 'string',
  'per-channel': 'flag',
  reset: 'string',
  v0: 'string',
  shift: 'flag',
  encoding: 'string',
  permute: 'string',
  maxpool: 'string',
  'percentile-of': 'string',
  snnc: 'string',
  attribution: 'string',
  limit: 'string',
  'sample-seed': 'string',
  calibration: 'string',
  backend: 'string',
  workers: 'string',
  json: 'flag',
  out: 'string',
  'save-snn': 'string',
};

export const ALL_TIMESTEPS = [1, 2, 4, 8, 16, 32, 64];

/** `--attribution T`: the attribution study at T, which must be one of the time steps. */
function attributionOf(o: Options, timesteps: readonly number[]): { attribution?: number } {
  const T = o.number('attribution', (n) => Number.isInteger(n) && n > 0, 'a time-step count');
  if (T === undefined) return {};
  if (!timesteps.includes(T)) throw invalidArgument(`--attribution ${T} is not one of --timesteps (${timesteps.join(', ')}): the study compares against the full SNN at that T`);
  return { attribution: T };
}

export function readRunSettings(o: Options, defaults: { limit: number; seeds: number; calibration: number }): RunSettings {
  const positiveInt = (n: number): boolean => Number.isInteger(n) && n > 0;
  const asked = o.choice('v0', ['0', 'half'] as const);
  const out = o.string('out');
  const saveSnn = o.string('save-snn');
  // Output targets are checked before any work, so a long run is never lost to a bad path.
  if (out !== undefined) checkWritableFile(out, '--out file');
  if (saveSnn !== undefined) checkWritableFile(saveSnn, '--save-snn file');
  const timesteps = o.list('timesteps', (s) => (/^\d+$/.test(s) && Number(s) > 0 && Number(s) <= 4096 ? Number(s) : undefined), 'a time-step count in 1..4096') ?? ALL_TIMESTEPS;
  const seedCount = o.number('seeds', positiveInt, 'a positive integer') ?? defaults.seeds;
  const threshold = o.string('threshold');
  const parsedThreshold = threshold === undefined ? STUDY_DEFAULTS.threshold : parseThresholdMethod(threshold);
  if (parsedThreshold === undefined) {
    throw invalidArgument(`--threshold ${threshold} is not one of max, qcfs, snnc or a percentile like p99.9`);
  }
  const v0: V0Mode | undefined = asked === undefined ? undefined : asked === 'half' ? 'half' : 'zero';
  const study: StudyChoice = {
    methods: o.list('method', (s) => (METHODS as readonly string[]).includes(s) ? (s as Method) : undefined, `a method (${METHODS.join(', ')})`) ?? [...METHODS],
    timesteps,
    seeds: Array.from({ length: seedCount }, (_, i) => i),
    threshold: parsedThreshold,
    perChannel: o.flag('per-channel'),
    reset: o.choice('reset', RESET_MODES) ?? STUDY_DEFAULTS.reset,
    ...(v0 !== undefined ? { v0 } : {}),
    shift: o.flag('shift'),
    encoding: o.choice('encoding', ['direct', 'rate'] as const) ?? STUDY_DEFAULTS.encoding,
    permute: o.choice('permute', PERMUTE_MODES) ?? STUDY_DEFAULTS.permute,
    maxPool: o.choice('maxpool', MAXPOOL_POLICIES) ?? STUDY_DEFAULTS.maxPool,
    percentileOf: o.choice('percentile-of', PERCENTILE_OF) ?? 'positive',
    snnc: o.choice('snnc', SNNC_MODES) ?? 'none',
    ...attributionOf(o, timesteps),
  };
  return {
    study,
    limit: o.number('limit', positiveInt, 'a positive integer') ?? defaults.limit,
    ...optional('sampleSeed', o.number('sample-seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer')),
    calibration: o.number('calibration', positiveInt, 'a positive integer') ?? defaults.calibration,
    backend: o.choice('backend', BACKEND_PREFERENCES) ?? 'auto',
    ...optional('workers', o.number('workers', positiveInt, 'a positive integer')),
    json: o.flag('json'),
    ...(out !== undefined ? { out } : {}),
    ...(saveSnn !== undefined ? { saveSnn } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
