import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../common/errors';
import type { SnnModel } from '../../common/snn';
import { openSampleSet } from '../../datasets/descriptor';
import { makeImageSet } from '../../datasets/sample-set';
import { decodeModel } from '../../formats/model/tppw-model';
import { initBackend, type BackendPreference } from '../backend/select';
import { withNeuron } from '../convert/convert';
import { neuronOf } from '../../common/methods';
import { runShard } from '../experiment/run-unit';
import { evaluateAnnPart } from '../ann/evaluate';
import type { Graph } from '../../common/ir/types';
import { conversionKey, type FromWorker, type ToWorker, type WorkerData, type WorkerSetup } from './messages';

/**
 * A simulation worker: owns its own tfjs backend, opens the evaluation samples, then receives
 * networks (the ANN, the converted ones) and jobs: the ANN on a shard of the samples, or a
 * unit's shard to simulate; it posts each outcome back. A spare (started ahead of its pool)
 * starts its backend first and then waits for its setup.
 */
async function serve(): Promise<void> {
  const port = parentPort!;
  const given = workerData as WorkerData;
  if (given.kind === 'spare') await initBackend(given.backend as BackendPreference);
  const setup =
    given.kind === 'setup'
      ? given.setup
      : await new Promise<WorkerSetup>((resolve, reject) =>
          port.once('message', (m: ToWorker) => (m.kind === 'setup' ? resolve(m.setup) : reject(new Error(`a spare worker got '${m.kind}' before its setup`)))),
        );
  await initBackend(setup.backend as BackendPreference);
  const models = new Map<string, SnnModel>();
  let ann: Graph | undefined;
  const data = setup.data;
  // Either the dataset itself (its samples at data.indices), or just the evaluated samples in
  // order, whose random streams must still follow their dataset indices.
  const set =
    data.kind === 'open'
      ? openSampleSet(data.descriptor)
      : makeImageSet({ name: 'samples', data: data.x, count: data.labels.length, shape: data.shape, layout: 'nhwc', labels: data.labels, transform: { scale: 1, offset: 0 } });
  const local = data.kind === 'open' ? data.indices : Int32Array.from({ length: data.labels.length }, (_, i) => i);
  const streamIndices = data.kind === 'open' ? undefined : data.indices;
  const post = (message: FromWorker): void => port.postMessage(message);
  // One shard at a time: the pool sends the next only after this one's outcome.
  port.on('message', async (message: ToWorker) => {
    if (message.kind === 'stop') {
      port.close();
      return;
    }
    if (message.kind === 'setup') return;
    if (message.kind === 'models') {
      models.clear();
      for (const [key, bytes] of Object.entries(message.models)) {
        const file = decodeModel(bytes, `worker model ${key}`);
        models.set(key, { graph: file.graph, snn: file.snn! });
      }
      ann = message.ann !== undefined ? decodeModel(message.ann, 'worker ANN').graph : undefined;
      return;
    }
    const { id, range } = message;
    if (message.kind === 'ann') {
      try {
        const part = await evaluateAnnPart(ann!, set, local.subarray(range[0], range[1]));
        post({ kind: 'ann-done', id, part });
      } catch (error) {
        post({ kind: 'error', id, error: toErrorData(error) });
      }
      return;
    }
    const { unit } = message;
    try {
      const model = withNeuron(models.get(conversionKey(unit))!, neuronOf(unit.method));
      // Random streams are keyed by the dataset index, so results match an in-process run.
      const outcome = await runShard(unit, {
        model,
        set,
        indices: local,
        ...(streamIndices ? { streamIndices } : {}),
        stepInput: setup.stepInput,
        ...(setup.budgetValues !== undefined ? { budgetValues: setup.budgetValues } : {}),
        onWork: (sampleSteps) => post({ kind: 'work', id, sampleSteps }),
      }, range);
      post({ kind: 'done', id, outcome });
    } catch (error) {
      post({ kind: 'error', id, error: toErrorData(error) });
    }
  });
  post({ kind: 'ready' });
}

serve().catch((error: unknown) => {
  parentPort?.postMessage({ kind: 'error', id: -1, error: toErrorData(error) } satisfies FromWorker);
});
