import { workerData } from 'node:worker_threads';
import { readKerasH5Contents, type H5Request } from './h5-reader';
import { postOutcome } from './start-worker';

/** Worker side of `readInH5Worker`: reads one HDF5 file and posts the result (or the error). */
postOutcome(readKerasH5Contents(workerData as H5Request));
