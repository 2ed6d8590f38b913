import { basename } from 'node:path';
import { indexDatasetFolder } from '../../datasets/index-folder';
import type { JobContext } from '../job-context';

/** Registers a dataset folder: indexes every sample in place and stores the index. */
export interface DatasetIndexParams {
  readonly path: string;
  readonly name?: string;
  readonly layout?: string;
}

export async function datasetIndexTask(context: JobContext, raw: unknown): Promise<void> {
  const params = raw as DatasetIndexParams;
  const { store } = context;
  context.progress('index', 0, 1);
  const indexed = indexDatasetFolder(params.path, params.layout, (done, total) => {
    context.checkCancelled();
    context.progress('index', done, total);
  });
  const datasetId = store.datasets.insert(
    { name: params.name ?? basename(params.path), path: params.path, kind: indexed.kind, layout: indexed.layout, classes: indexed.classes, shape: indexed.shape, sensor: indexed.sensor },
    indexed.samples,
  );
  store.jobs.setResult(context.jobId, { datasetId });
  context.progress('index', 1, 1);
  context.log('info', `indexed ${indexed.samples.length} ${indexed.kind === 'events' ? 'event' : 'image'} samples (${indexed.layout}, ${indexed.classes.length} classes) as dataset ${datasetId}`);
}
