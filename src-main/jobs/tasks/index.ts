import type { JobKind } from '../../common/contract';
import type { Task } from '../job-context';
import { datasetIndexTask } from './dataset-index';
import { modelImportTask } from './model-import';
import { runTask } from './run';

/** The task a worker runs for each job kind. */
export const TASKS: Record<JobKind, Task> = {
  'dataset-index': datasetIndexTask,
  'model-import': modelImportTask,
  run: runTask,
};
