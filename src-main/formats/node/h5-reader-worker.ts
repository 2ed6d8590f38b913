import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../common/errors';
import { readKerasH5Contents, type H5Request } from './h5-reader';

/** Worker side of `readInH5Worker`: reads one HDF5 file and posts the result (or the error). */
readKerasH5Contents(workerData as H5Request).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (error: unknown) => parentPort!.postMessage({ ok: false, error: toErrorData(error) }),
);
