/**
 * A child process for test/store/unit-write-stop.test.ts: stores simulation units of one run the
 * way a worker does, and stalls inside the transaction of one of them (a temporary trigger calls
 * a function on every layer-metrics row; at row `stallAt` it prints "stalled" and blocks), so the
 * test can stop the process while a unit is half written.
 *
 *   node --import tsx unit-writer.ts <data dir> <conversion id> <units> <stall at row>
 */
import { writeSync } from 'node:fs';
import type { Unit } from '../../src-main/common/plan';
import type { LayerTrace, UnitOutcome } from '../../src-main/common/units';
import { openStore } from '../../src-main/store/store';

export const WRITER_NODES = ['conv1', 'conv2', 'dense1'];
export const WRITER_CHECKPOINTS = [1, 2, 4, 8];

/** Unit k of the writer: an anytime IF pass over WRITER_CHECKPOINTS with seed k. */
export function writerUnit(k: number): Unit {
  return { method: 'if', T: 8, checkpoints: WRITER_CHECKPOINTS, seed: k };
}

function outcome(unit: Unit): UnitOutcome {
  const trace = (T: number, n: number): LayerTrace => ({
    neurons: 4,
    positions: 2,
    samples: 10,
    spikesPerStep: Float64Array.from({ length: T }, (_, t) => t + n / 3),
    firstSpikesPerStep: Float64Array.from({ length: T }, (_, t) => (t === 0 ? 3 : 1 / 7)),
    checkpoints: [T],
    residualSum: Float64Array.of(Math.E * (n + 1)),
    convErrorNum: Float64Array.of(1 / 3),
    convErrorDen: Float64Array.of(2 / 3),
    spikesPerPosition: Float64Array.of(n, 0.5),
  });
  return {
    unit,
    samples: 10,
    correct: unit.checkpoints.map((_, i) => i + unit.seed),
    top5: unit.checkpoints.map(() => 10),
    traces: unit.checkpoints.map((T) => new Map(WRITER_NODES.map((node, n) => [node, trace(T, n)]))),
  };
}

function main(argv: readonly string[]): void {
  const [root, conversionArg, unitsArg, stallArg] = argv;
  const store = openStore(root!);
  const stallAt = Number(stallArg);
  let rows = 0;
  store.db.function('tppw_test_stall', () => {
    if (++rows === stallAt) {
      writeSync(1, 'stalled\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
    return null;
  });
  store.db.exec('CREATE TEMP TRIGGER stall_in_unit AFTER INSERT ON layer_metrics BEGIN SELECT tppw_test_stall(); END');
  for (let k = 0; k < Number(unitsArg); k++) {
    store.conversions.storeUnit(Number(conversionArg), outcome(writerUnit(k)));
    writeSync(1, `stored ${k}\n`);
  }
  store.close();
}

if (process.argv[1]?.endsWith('unit-writer.ts')) main(process.argv.slice(2));
