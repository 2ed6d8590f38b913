import type { EventMessage, HandlerInput, HandlerName, HandlerOutput } from '../../common/contract';
import type { ErrorData } from '../../common/errors';
import type { Transport } from '../../common/transport';
import { CHANNELS, callChannel, isRoutedHandler, type CallResult } from '../common/routes';

/**
 * The renderer's Transport over Electron IPC, built in the preload and exposed as `window.tppw`.
 * A call goes to its handler's own channel (a name outside the contract never reaches IPC); its
 * error arrives as data and leaves as data, since an Error crossing the context bridge keeps only
 * its message; the renderer rebuilds it (src-renderer/api/desktop-transport.ts). Events come
 * from main once the first listener subscribes and stop with the last. Closures only: the
 * context bridge copies functions, not `this`.
 */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadTransport(ipc: IpcRendererLike) {
  const listeners = new Set<(message: EventMessage) => void>();
  const relay = (_event: unknown, message: unknown): void => {
    for (const listener of listeners) listener(message as EventMessage);
  };
  return {
    async call<K extends HandlerName>(name: K, args: HandlerInput<K>): Promise<HandlerOutput<K>> {
      if (!isRoutedHandler(name)) throw { kind: 'not_found', message: `there is no handler '${String(name)}'` } satisfies ErrorData;
      const result = (await ipc.invoke(callChannel(name), args)) as CallResult<HandlerOutput<K>>;
      if ('error' in result) throw result.error;
      return result.data;
    },
    subscribe(listener: (message: EventMessage) => void): () => void {
      listeners.add(listener);
      if (listeners.size === 1) {
        ipc.on(CHANNELS.event, relay);
        ipc.send(CHANNELS.subscribe);
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        ipc.removeListener(CHANNELS.event, relay);
        ipc.send(CHANNELS.unsubscribe);
      };
    },
    pickPath: (kind: 'file' | 'folder'): Promise<string | undefined> => ipc.invoke(CHANNELS.pickPath, kind) as Promise<string | undefined>,
    pickSavePath: (suggestedName: string): Promise<string | undefined> => ipc.invoke(CHANNELS.pickSavePath, suggestedName) as Promise<string | undefined>,
  } satisfies Transport;
}
