import { invalidArgument } from '../../common/errors';
import { graphCounts } from '../../common/ir/counts';
import type { Graph } from '../../common/ir/types';
import type { Attribution, RunResult } from '../../common/results';
import { thresholdLabel, type NeuronKind, type SnnModel } from '../../common/snn';
import type { SampleSet } from '../../datasets/sample-set';
import { checkModelMatchesData, evaluateAnn, type AnnEvaluation } from '../ann/evaluate';
import { confusionCounts } from '../metrics/accuracy';
import { annSanityWarning } from '../ann/sanity';
import { collectActivationStats } from '../calibrate/activation-stats';
import { calibrateSnn } from '../calibrate/snnc';
import { convertToSnn, withNeuron } from '../convert/convert';
import { ENERGY_MODEL } from '../metrics/energy';
import { prepareForConversion } from '../prepare/prepare';
import type { StudySpec } from '../../common/study';
import { assembleResults, describeNetwork, thresholdSummaries } from './assemble';
import { planStudy, shardRanges, unitKey, unitWork, type Unit } from '../../common/plan';
import type { UnitOutcome } from '../../common/units';
import { runUnit } from './run-unit';
import { conversionKey } from '../parallel/messages';
import { UnitPool } from '../parallel/unit-pool';
import { neuronOf, type Method } from '../../common/methods';
import type { Progress } from '../../common/progress';

export interface ExperimentOptions extends StudySpec {
  readonly graph: Graph;
  readonly data: SampleSet;
  readonly indices: Int32Array;
  readonly calibration: { readonly set: SampleSet; readonly indices: Int32Array; readonly source: string };
  readonly backend: string;
  readonly budgetValues?: number;
  /** `static`: the sample is the input (direct or rate coding). `steps`: the sample's per-step
   * input (event frames, T = the window) feeds the SNN; the ANN sees the accumulated frame. */
  readonly input?: 'static' | 'steps';
  /** Simulation worker threads; 1 simulates in this thread. */
  readonly workers?: number;
  readonly onProgress?: (progress: Progress) => void;
  /** Receives each converted network before it is simulated (T set for per-T conversions; the
   * neuron kind for SNNC-calibrated ones, each calibrated with its own neurons). */
  readonly onConverted?: (model: SnnModel, timesteps: number | undefined, neuron?: NeuronKind) => void;
  readonly signal?: AbortSignal;
  /** A unit's outcome stored by an earlier, interrupted run of the same study: not simulated again. */
  readonly stored?: (unit: Unit) => UnitOutcome | undefined;
  /** Receives each unit's outcome as soon as it is measured (to store it before the next one). */
  readonly onUnit?: (outcome: UnitOutcome) => void;
  /** Simulate in worker threads even for one worker, keeping this thread free to react. */
  readonly isolate?: boolean;
  /** How many evaluation and calibration samples were asked for: fewer available is reported. */
  readonly requested?: { readonly samples: number; readonly calibration: number };
}

/**
 * A whole conversion study: ANN accuracy, calibration, conversion, and every requested
 * (method, T, seed) simulated on the same samples, assembled into one RunResult.
 */
export async function runExperiment(options: ExperimentOptions): Promise<RunResult> {
  const started = performance.now();
  const { data, indices } = options;
  checkModelMatchesData(options.graph, data);
  if (options.input === 'steps' && data.readSteps === undefined) throw invalidArgument(`${data.name} has no per-step input (event datasets do); use static input`);
  if (options.input === 'steps' && options.encoding === 'rate') throw invalidArgument('rate coding and per-step event input exclude each other');
  checkModelMatchesData(options.graph, options.calibration.set);
  // Workers start now and get ready while this thread evaluates the ANN and calibrates.
  const pool =
    options.isolate || (options.workers ?? 1) > 1
      ? UnitPool.start({ workers: options.workers ?? 1, backend: options.backend, set: data, indices, ...(options.input === 'steps' ? { stepInput: true } : {}), ...(options.budgetValues !== undefined ? { budgetValues: options.budgetValues } : {}) })
      : undefined;
  try {
    return await experiment(options, started, pool);
  } finally {
    await pool?.close();
  }
}

async function experiment(options: ExperimentOptions, started: number, pool: UnitPool | undefined): Promise<RunResult> {
  const { data, indices, calibration } = options;
  const progress = options.onProgress ?? (() => undefined);
  const stepInput = options.input === 'steps';
  const prepared = prepareForConversion(options.graph, options.maxPool, !stepInput && options.encoding === 'direct');
  const warnings: string[] = [];

  // With workers, they evaluate the ANN while this thread calibrates; without, one after the other.
  const swapped = prepared.swappedMaxPools.length > 0;
  const labels = Int32Array.from(indices, (i) => data.labels[i]!);
  const annTotal = indices.length * (swapped ? 2 : 1);
  const onAnn = (offset: number) => (n: number) => progress({ step: 'ann', current: offset + n, total: annTotal });
  const evaluate = async (graph: Graph, offset: number): Promise<AnnEvaluation> => {
    const evaluation = pool !== undefined ? await pool.evaluateAnn(graph, labels, options.signal) : await evaluateAnn(graph, data, indices, { onBatch: onAnn(offset) });
    onAnn(offset)(indices.length);
    return evaluation;
  };
  const annRun = (async () => ({ ann: await evaluate(prepared.graph, 0), beforeSwap: swapped ? (await evaluate(options.graph, indices.length)).accuracy : undefined }))();
  annRun.catch(() => undefined); // observed now: with workers it is awaited after the calibration
  if (pool === undefined) await annRun;
  progress({ step: 'calibrate', current: 0, total: calibration.indices.length });
  const stats = await collectActivationStats(prepared.graph, calibration.set, calibration.indices, {
    perChannel: options.perChannel,
    values: options.threshold.kind === 'percentile' || options.threshold.kind === 'snnc',
    onBatch: (n) => progress({ step: 'calibrate', current: n, total: calibration.indices.length }),
  });
  const { ann, beforeSwap: annBeforeSwap } = await annRun;
  const sanity = annSanityWarning({ accuracy: ann.accuracy, classes: data.classes, samples: indices.length, constantOutput: ann.constantOutput });
  if (sanity !== undefined) warnings.push(sanity);
  warnings.push(...sampleWarnings(options));
  if (annBeforeSwap !== undefined) {
    warnings.push(
      `max pooling replaced by average pooling in ${prepared.swappedMaxPools.join(', ')}: ANN accuracy ${pct(annBeforeSwap)} → ${pct(ann.accuracy)}`,
    );
  }

  const snnc = options.snnc ?? 'none';
  const percentileOf = options.percentileOf ?? 'positive';
  const convert = async (T: number | undefined, neuron: NeuronKind | undefined): Promise<SnnModel> => {
    const conversion = convertToSnn(prepared.graph, stats, {
      method: options.threshold,
      perChannel: options.perChannel,
      neuron: 'if',
      reset: options.reset,
      v0: options.v0,
      shift: options.shift,
      encoding: options.encoding,
      calibrationSamples: calibration.indices.length,
      percentileOf,
      spikingMaxPools: prepared.spikingMaxPools,
      ...(T !== undefined ? { timesteps: T } : {}),
    });
    for (const w of conversion.warnings) if (!warnings.includes(w)) warnings.push(w);
    let model = conversion.model;
    if (snnc !== 'none' && T !== undefined && neuron !== undefined) {
      model = await calibrateSnn(withNeuron(model, neuron), calibration.set, calibration.indices, {
        mode: snnc,
        T,
        stepInput,
        onLayer: (done, total) => progress({ step: 'calibrate', current: done, total, detail: `SNNC ${snnc}, ${neuron} T=${T}` }),
      });
    }
    // The thresholds hold only for inputs transformed as the calibration data was: the saved
    // network records that transform as its preprocessing.
    return { ...model, graph: { ...model.graph, preprocessing: { ...data.transform } } };
  };
  const planned = planStudy({ ...options, attribution: undefined }, stepInput ? 'steps' : 'static');
  const models = new Map<string, SnnModel>();
  for (const unit of planned) {
    const key = conversionKey(unit);
    if (models.has(key)) continue;
    const model = await convert(unit.conversionT, unit.conversionNeuron);
    models.set(key, model);
    options.onConverted?.(model, unit.conversionT, unit.conversionNeuron);
  }
  const modelFor = (unit: Unit): SnnModel => withNeuron(models.get(conversionKey(unit))!, neuronOf(unit.method));
  // the attribution units cut the network after each of its spiking layers (same conversions)
  const reference = modelFor(planned[0]!);
  const spikingLayers = reference.snn.layers.length;
  const units = options.attribution === undefined ? planned : planStudy(options, stepInput ? 'steps' : 'static', spikingLayers);

  const stored = new Map<string, UnitOutcome>();
  for (const unit of units) {
    const outcome = options.stored?.(unit);
    if (outcome !== undefined) stored.set(unitKey(unit), outcome);
  }
  const pending = units.filter((unit) => !stored.has(unitKey(unit)));
  const total = pending.reduce((a, u) => a + unitWork(u, indices.length), 0);
  let done = 0;
  const onWork = (work: number, unit: Unit): void => {
    done += work;
    progress({ step: 'simulate', current: done, total, detail: `${unit.method} T=${unit.T} seed ${unit.seed}` });
  };
  const budget = options.budgetValues !== undefined ? { budgetValues: options.budgetValues } : {};
  const signal = options.signal ? { signal: options.signal } : {};
  const onOutcome = options.onUnit ?? (() => undefined);
  let fresh: UnitOutcome[];
  const simulationStarted = performance.now();
  if (pool !== undefined && pending.length > 0 && (options.isolate || pending.length * shardRanges(indices.length).length > 1)) {
    fresh = await pool.run(pending, { models, ...signal, onWork, onOutcome });
  } else {
    fresh = [];
    for (const unit of pending) {
      const outcome = await runUnit(unit, { model: modelFor(unit), set: data, indices, stepInput, ...budget, ...signal, onWork: (work) => onWork(work, unit) });
      onOutcome(outcome);
      fresh.push(outcome);
    }
  }
  const simulateMs = Math.round(performance.now() - simulationStarted);
  const byKey = new Map(fresh.map((o) => [unitKey(o.unit), o]));
  const everything = units.map((unit) => byKey.get(unitKey(unit)) ?? stored.get(unitKey(unit))!);
  const outcomes = everything.filter((o) => o.unit.spikingLayers === undefined);

  const network = describeNetwork(reference, stepInput || options.encoding === 'rate');
  const { layers } = network;
  const counts = graphCounts(prepared.graph);
  const withTop5 = data.classes > 10;
  const results = assembleResults(outcomes, network, (unit) => thresholdSummaries(models.get(conversionKey(unit))!), withTop5).sort(
    (a, b) => options.methods.indexOf(a.method) - options.methods.indexOf(b.method) || a.T - b.T,
  );
  return {
    model: options.graph.name,
    dataset: data.name,
    backend: options.backend,
    samples: indices.length,
    config: {
      threshold: thresholdLabel(options.threshold),
      perChannel: options.perChannel,
      reset: options.reset,
      v0: options.v0,
      shift: options.shift,
      encoding: options.encoding,
      permute: options.permute,
      maxPool: options.maxPool,
      percentileOf,
      snnc,
      timesteps: [...new Set(options.timesteps)].sort((a, b) => a - b),
      seeds: [...options.seeds],
      methods: [...options.methods],
      calibration: { source: calibration.source, samples: calibration.indices.length },
      input: stepInput ? 'steps' : 'static',
      inputTransform: data.transform,
    },
    ann: {
      accuracy: ann.accuracy,
      ...(annBeforeSwap !== undefined ? { accuracyBeforeSwap: annBeforeSwap } : {}),
      ...(sanity !== undefined ? { sanityWarning: sanity } : {}),
      macs: counts.macs,
      energyPj: ENERGY_MODEL.macPj * counts.macs,
      confusion: confusionCounts(ann.predictions, indices, data.labels, prepared.graph.shapes.get(prepared.graph.output)![0]!),
    },
    energyModel: { ...ENERGY_MODEL },
    results,
    ...(options.attribution !== undefined ? { attribution: attributionOf(options.attribution, options.methods, ann.accuracy, everything, reference.snn.layers.map((l) => l.node)) } : {}),
    layers,
    notes: [...prepared.notes],
    warnings,
    wallMs: Math.round(performance.now() - started),
    ...(pending.length > 0 ? { simulateMs } : {}),
  };
}

/** Fewer samples than asked for, and calibration samples that are also evaluated. */
function sampleWarnings(options: ExperimentOptions): string[] {
  const { data, indices, calibration, requested } = options;
  const warnings: string[] = [];
  if (requested !== undefined && indices.length < requested.samples) {
    warnings.push(`${requested.samples} samples asked for, but ${data.name} has ${data.count}: evaluated ${indices.length}`);
  }
  if (requested !== undefined && calibration.indices.length < requested.calibration) {
    warnings.push(`${requested.calibration} calibration samples asked for, but ${calibration.source} gives ${calibration.indices.length}: calibrated on ${calibration.indices.length}`);
  }
  if (calibration.set === data) {
    const evaluated = new Set(indices);
    const shared = calibration.indices.reduce((n, i) => n + (evaluated.has(i) ? 1 : 0), 0);
    if (shared > 0) {
      warnings.push(
        `${shared} of the ${calibration.indices.length} calibration samples are also evaluated (thresholds fitted on test samples flatter the SNN): use a separate calibration set or a dataset with a training split`,
      );
    }
  }
  return warnings;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * The attribution study's table: per method, the ANN's accuracy (l = 0), each cut unit's
 * (l = 1…L − 1) and the whole SNN's at T (l = L), the first seed's.
 */
function attributionOf(T: number, methods: readonly Method[], annAccuracy: number, outcomes: readonly UnitOutcome[], layers: readonly string[]): Attribution {
  const accuracyAt = (o: UnitOutcome): number => o.correct[o.unit.checkpoints.indexOf(T)]! / o.samples;
  const rows = methods.map((method) => {
    const mine = outcomes.filter((o) => o.unit.method === method && o.unit.checkpoints.includes(T));
    const cut = (l: number): UnitOutcome => mine.find((o) => o.unit.spikingLayers === l)!;
    const whole = mine.filter((o) => o.unit.spikingLayers === undefined).sort((a, b) => a.unit.seed - b.unit.seed)[0]!;
    return { method, accuracy: [annAccuracy, ...Array.from({ length: layers.length - 1 }, (_, i) => accuracyAt(cut(i + 1))), accuracyAt(whole)] };
  });
  return { T, layers, rows };
}
