import type { Job, RunStart } from '../common/contract';
import type { RunResult } from '../common/results';
import { unitKey, type Unit } from '../common/plan';
import type { LayerTrace, SpikeRaster, UnitOutcome } from '../common/units';
import type { Db } from './database';
import { JOB_COLUMNS, toJob, type JobRowDb } from './jobs';
import { statementCache } from './statements';

/**
 * Conversion runs and their measurements. Each finished simulation unit is stored at once, in
 * one transaction — a results row per (method, T, seed) it measured and the layer traces behind
 * it, or for the attribution study's cut units a cut_results row with their accuracy — so a crash
 * loses at most the unit in flight and a resumed run skips what is stored.
 */
interface TraceJson {
  neurons: number;
  samples: number;
  spikesPerStep: number[];
  firstSpikesPerStep: number[];
  residualSum: number;
  convErrorNum: number;
  convErrorDen: number;
  /** Absent in traces stored before spikes were kept per position. */
  spikesPerPosition?: number[];
  /** Absent in traces stored before rasters were kept, and from the GPU backend. */
  raster?: SpikeRaster;
}

export class ConversionsRepo {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  create(jobId: number, config: RunStart): number {
    return Number(
      this.q('INSERT INTO conversions (job_id, model_id, dataset_id, config, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(jobId, config.modelId, config.datasetId, JSON.stringify(config), new Date().toISOString()).lastInsertRowid,
    );
  }

  get(id: number): { id: number; jobId: number; modelId: number; datasetId: number; config: RunStart; summary: RunResult | null; createdAt: string } | undefined {
    const r = this.q('SELECT * FROM conversions WHERE id = ?').get(id) as
      | { id: number; job_id: number; model_id: number; dataset_id: number; config: string; summary: string | null; created_at: string }
      | undefined;
    return r && { id: r.id, jobId: r.job_id, modelId: r.model_id, datasetId: r.dataset_id, config: JSON.parse(r.config), summary: r.summary === null ? null : JSON.parse(r.summary), createdAt: r.created_at };
  }

  byJob(jobId: number): number | undefined {
    return (this.q('SELECT id FROM conversions WHERE job_id = ?').get(jobId) as { id: number } | undefined)?.id;
  }

  /** The newest runs with their jobs, in one query (the runs screen). */
  list(limit: number, offset: number): { id: number; job: Job; modelId: number; datasetId: number; config: RunStart; createdAt: string; unitsDone: number }[] {
    const rows = this.q(
      `SELECT c.id AS c_id, c.model_id AS c_model, c.dataset_id AS c_dataset, c.config AS c_config, c.created_at AS c_created, c.units_done AS c_units, ${JOB_COLUMNS('j.')}
       FROM conversions c JOIN jobs j ON j.id = c.job_id ORDER BY c.id DESC LIMIT ? OFFSET ?`,
    ).all(limit, offset) as (JobRowDb & { c_id: number; c_model: number; c_dataset: number; c_config: string; c_created: string; c_units: number })[];
    return rows.map((r) => ({ id: r.c_id, job: toJob(r), modelId: r.c_model, datasetId: r.c_dataset, config: JSON.parse(r.c_config), createdAt: r.c_created, unitsDone: r.c_units }));
  }

  usingDataset(datasetId: number): number[] {
    return (this.q('SELECT id FROM conversions WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number }[]).map((r) => r.id);
  }

  usingModel(modelId: number): number[] {
    return (this.q('SELECT id FROM conversions WHERE model_id = ? ORDER BY id').all(modelId) as { id: number }[]).map((r) => r.id);
  }

  unitsDone(id: number): number {
    return (this.q('SELECT units_done AS n FROM conversions WHERE id = ?').get(id) as { n: number } | undefined)?.n ?? 0;
  }

  setSummary(id: number, summary: RunResult): void {
    this.q('UPDATE conversions SET summary = ? WHERE id = ?').run(JSON.stringify(summary), id);
  }

  storeUnit(conversionId: number, outcome: UnitOutcome): void {
    const key = unitKey(outcome.unit);
    const countUnits = (): void => {
      this.q(
        'UPDATE conversions SET units_done = (SELECT COUNT(DISTINCT unit_key) FROM results WHERE conversion_id = ?) + (SELECT COUNT(*) FROM cut_results WHERE conversion_id = ?) WHERE id = ?',
      ).run(conversionId, conversionId, conversionId);
    };
    if (outcome.unit.spikingLayers !== undefined) {
      this.db.transaction(() => {
        this.q('INSERT OR REPLACE INTO cut_results (conversion_id, unit_key, samples, correct) VALUES (?, ?, ?, ?)').run(conversionId, key, outcome.samples, outcome.correct[0]!);
        countUnits();
      })();
      return;
    }
    const insertResult = this.q('INSERT OR REPLACE INTO results (conversion_id, unit_key, method, t, seed, samples, correct, top5, confusion, step_correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertLayer = this.q('INSERT OR REPLACE INTO layer_metrics (result_id, node, trace) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [k, T] of outcome.unit.checkpoints.entries()) {
        const confusion = outcome.confusion?.[k];
        const steps = outcome.stepCorrect?.slice(0, T);
        const id = Number(
          insertResult.run(conversionId, key, outcome.unit.method, T, outcome.unit.seed, outcome.samples, outcome.correct[k]!, outcome.top5[k]!, confusion ? JSON.stringify(confusion) : null, steps ? JSON.stringify(steps) : null).lastInsertRowid,
        );
        for (const [node, trace] of outcome.traces[k]!) {
          const json: TraceJson = {
            neurons: trace.neurons,
            samples: trace.samples,
            spikesPerStep: Array.from(trace.spikesPerStep),
            firstSpikesPerStep: Array.from(trace.firstSpikesPerStep),
            residualSum: trace.residualSum[0]!,
            convErrorNum: trace.convErrorNum[0]!,
            convErrorDen: trace.convErrorDen[0]!,
            spikesPerPosition: Array.from(trace.spikesPerPosition),
            ...(trace.raster !== undefined ? { raster: trace.raster } : {}),
          };
          insertLayer.run(id, node, JSON.stringify(json));
        }
      }
      countUnits();
    })();
  }

  /** The stored outcome of `unit`, rebuilt for assembly (each checkpoint as its own window), if complete. */
  storedOutcome(conversionId: number, unit: Unit): UnitOutcome | undefined {
    if (unit.spikingLayers !== undefined) {
      const cut = this.q('SELECT samples, correct FROM cut_results WHERE conversion_id = ? AND unit_key = ?').get(conversionId, unitKey(unit)) as { samples: number; correct: number } | undefined;
      return cut && { unit, samples: cut.samples, correct: [cut.correct], top5: [0], traces: [new Map()] };
    }
    const rows = this.q('SELECT id, t, samples, correct, top5, confusion, step_correct FROM results WHERE conversion_id = ? AND unit_key = ?').all(conversionId, unitKey(unit)) as {
      id: number;
      t: number;
      samples: number;
      correct: number;
      top5: number;
      confusion: string | null;
      step_correct: string | null;
    }[];
    if (rows.length !== unit.checkpoints.length) return undefined;
    const byT = new Map(rows.map((r) => [r.t, r]));
    if (unit.checkpoints.some((T) => !byT.has(T))) return undefined;
    const layers = this.q('SELECT node, trace FROM layer_metrics WHERE result_id = ?');
    const traces = unit.checkpoints.map((T) => {
      const map = new Map<string, LayerTrace>();
      for (const l of layers.all(byT.get(T)!.id) as { node: string; trace: string }[]) {
        const j = JSON.parse(l.trace) as TraceJson;
        // An older trace has its spikes as one position (SOPs then use the mean fan-out).
        const spikesPerPosition = j.spikesPerPosition ?? [j.spikesPerStep.reduce((a, b) => a + b, 0)];
        map.set(l.node, {
          neurons: j.neurons,
          positions: spikesPerPosition.length,
          samples: j.samples,
          spikesPerStep: Float64Array.from(j.spikesPerStep),
          firstSpikesPerStep: Float64Array.from(j.firstSpikesPerStep),
          checkpoints: [T],
          residualSum: Float64Array.of(j.residualSum),
          convErrorNum: Float64Array.of(j.convErrorNum),
          convErrorDen: Float64Array.of(j.convErrorDen),
          spikesPerPosition: Float64Array.from(spikesPerPosition),
          ...(j.raster !== undefined ? { raster: j.raster } : {}),
        });
      }
      return map;
    });
    const confusion = unit.checkpoints.map((T) => byT.get(T)!.confusion);
    const steps = byT.get(unit.T)?.step_correct;
    return {
      unit,
      samples: rows[0]!.samples,
      correct: unit.checkpoints.map((T) => byT.get(T)!.correct),
      top5: unit.checkpoints.map((T) => byT.get(T)!.top5),
      traces,
      ...(confusion.every((c) => c !== null) ? { confusion: confusion.map((c) => JSON.parse(c!) as number[]) } : {}),
      ...(steps !== null && steps !== undefined ? { stepCorrect: JSON.parse(steps) as number[] } : {}),
    };
  }

  /** Measured accuracies of a run, per (method, T, seed), in stored order. */
  measured(conversionId: number): { method: string; T: number; seed: number; samples: number; accuracy: number }[] {
    return (this.q('SELECT method, t, seed, samples, correct FROM results WHERE conversion_id = ? ORDER BY method, t, seed').all(conversionId) as { method: string; t: number; seed: number; samples: number; correct: number }[])
      .map((r) => ({ method: r.method, T: r.t, seed: r.seed, samples: r.samples, accuracy: r.correct / r.samples }));
  }
}
