import { availableParallelism } from 'node:os';
import type { Graph } from '../../common/ir/types';
import type { RunResult } from '../../common/results';
import type { NeuronKind, SnnModel } from '../../common/snn';
import { resolveV0, type StudyChoice } from '../../common/study';
import { firstIndices, type SampleSet } from '../../datasets/sample-set';
import { seededSubset } from '../../datasets/subsets';
import { initBackend, type BackendPreference } from '../backend/select';
import type { UnitOutcome } from '../../common/units';
import type { Unit } from '../../common/plan';
import type { Progress } from '../../common/progress';
import { runExperiment } from './run-experiment';

/**
 * One study, as every entry point runs it (`tppw convert`, `tppw demo` and the `run` job): the
 * decisions that must mean the same thing everywhere live here — which samples are evaluated
 * (the first N, or a seeded subset), v0's default for the threshold method, the backend and how
 * many simulation threads, and which warnings the result carries. Transports only open the data
 * and print or store what comes back.
 */
export interface StudyRequest {
  readonly graph: Graph;
  readonly study: StudyChoice;
  readonly data: SampleSet;
  readonly calibration: { readonly set: SampleSet; readonly indices: Int32Array; readonly source: string };
  /** `steps`: per-step event frames feed the SNN (event datasets). */
  readonly input: 'static' | 'steps';
  /** Samples asked for: the first `limit`, or a seeded subset of that many with `sampleSeed`. */
  readonly limit: number;
  readonly sampleSeed?: number | undefined;
  /** Calibration samples asked for (fewer available is reported). */
  readonly calibrationAsked: number;
  readonly backend?: BackendPreference;
  /** Simulation threads; default one per core (one on `tensorflow`, which is itself parallel). */
  readonly workers?: number | undefined;
  /** Simulate in worker threads even for one, keeping this thread free (jobs). */
  readonly isolate?: boolean;
  /** What opening the data said (input scaling assumed, splits), put before the study's own. */
  readonly warnings?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  readonly onConverted?: (model: SnnModel, timesteps: number | undefined, neuron?: NeuronKind) => void;
  readonly stored?: (unit: Unit) => UnitOutcome | undefined;
  readonly onUnit?: (outcome: UnitOutcome) => void;
}

export async function runStudy(request: StudyRequest): Promise<RunResult> {
  const { study, data } = request;
  const v0 = resolveV0(study.threshold, study.v0);
  const backend = await initBackend(request.backend ?? 'auto');
  const indices = request.sampleSeed === undefined ? firstIndices(data, request.limit) : seededSubset(data.count, request.limit, request.sampleSeed);
  const result = await runExperiment({
    ...study,
    v0: v0.v0,
    graph: request.graph,
    data,
    indices,
    calibration: request.calibration,
    backend: backend.name,
    input: request.input,
    workers: request.workers ?? (backend.name === 'tensorflow' ? 1 : availableParallelism()),
    requested: { samples: request.limit, calibration: request.calibrationAsked },
    ...(request.isolate !== undefined ? { isolate: request.isolate } : {}),
    ...(request.signal !== undefined ? { signal: request.signal } : {}),
    ...(request.onProgress !== undefined ? { onProgress: request.onProgress } : {}),
    ...(request.onConverted !== undefined ? { onConverted: request.onConverted } : {}),
    ...(request.stored !== undefined ? { stored: request.stored } : {}),
    ...(request.onUnit !== undefined ? { onUnit: request.onUnit } : {}),
  });
  const before = [...(request.warnings ?? []), ...(v0.warning !== undefined ? [v0.warning] : [])];
  // backendDetail right after backend, where README's schema lists it.
  const { model, dataset, backend: name, ...rest } = result;
  return { model, dataset, backend: name, backendDetail: backend.detail, ...rest, warnings: [...before, ...result.warnings] };
}

/**
 * The input transform x·scale + offset a study uses: what is given, else what the model file
 * records, else the identity, with a warning when neither says anything (an unscaled input is the
 * commonest cause of an ANN at chance).
 */
export function inputTransformFor(graph: Pick<Graph, 'preprocessing'>, given: { readonly scale?: number | undefined; readonly offset?: number | undefined }): { transform: { scale: number; offset: number }; warning?: string } {
  const transform = { scale: given.scale ?? graph.preprocessing?.scale ?? 1, offset: given.offset ?? graph.preprocessing?.offset ?? 0 };
  if (given.scale !== undefined || given.offset !== undefined || graph.preprocessing !== undefined) return { transform };
  return { transform, warning: 'the model does not record its input scaling and none was given: using x·1 + 0 (give the input scale and offset)' };
}
