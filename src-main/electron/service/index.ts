import { WorkbenchService } from '../../service/service';
import type { FromService, Port, ToService } from '../common/service-protocol';
import { serveOverPort } from './serve';

/**
 * The utility process entry: the workbench service on the data directory main passes as the
 * first argument, answering main over process.parentPort. Job workers start as everywhere else
 * (detached processes, src-main/jobs); here process.execPath is the Electron binary, which runs
 * their entry as plain Node only with ELECTRON_RUN_AS_NODE set, so it is set for the children.
 */
const dataDir = process.argv[2];
const parent = process.parentPort;
process.env['ELECTRON_RUN_AS_NODE'] = '1';

const port: Port<ToService, FromService> = {
  post: (message) => parent.postMessage(message),
  onMessage: (listener) => void parent.on('message', (event) => listener(event.data as ToService)),
};

serveOverPort(
  port,
  () => {
    if (!dataDir) throw new Error('the service process needs the data directory as its first argument');
    return new WorkbenchService({ dataDir });
  },
  () => process.exit(0),
);
