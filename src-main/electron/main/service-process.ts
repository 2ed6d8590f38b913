import { utilityProcess } from 'electron';
import { emitterPort, type FromService, type ToService } from '../common/service-protocol';
import type { ServiceConnection } from './service-client';

/**
 * The workbench service in an Electron utility process (never in main): a Node process Chromium
 * supervises, with a message port to main. `entry` is the built service bundle (service.js).
 */
export function forkService(entry: string, dataDir: string): ServiceConnection {
  const child = utilityProcess.fork(entry, [dataDir], { serviceName: 'TPP Workbench service', stdio: 'inherit' });
  return {
    port: emitterPort<FromService, ToService>(child),
    onExit: (listener) => void child.on('exit', listener),
  };
}
