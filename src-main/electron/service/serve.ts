import type { EventMessage, HandlerName, HandlerOutput } from '../../common/contract';
import { toErrorData, type ErrorData } from '../../common/errors';
import type { FromService, Port, ToService } from '../common/service-protocol';

/**
 * The service's side of the channel to the main process: every call is answered under its id
 * with data or error data, and the service's events stream out for as long as it runs. When the
 * service cannot open (a data directory that is read-only, a newer schema), that error answers
 * every call, so the window shows why instead of hanging.
 */
export interface CallableService {
  call<K extends HandlerName>(name: K, args: unknown): Promise<HandlerOutput<K>>;
  on(listener: (message: EventMessage) => void): () => void;
  close(): void;
}

export function serveOverPort(port: Port<ToService, FromService>, open: () => CallableService, exit: () => void): void {
  let service: CallableService | undefined;
  let failure: ErrorData | undefined;
  try {
    service = open();
  } catch (error) {
    failure = toErrorData(error);
    port.post({ type: 'fatal', error: failure });
  }
  const unsubscribe = service?.on((message) => port.post({ type: 'event', message }));
  port.onMessage((message) => {
    switch (message.type) {
      case 'call':
        void answer(message.id, message.name, message.args);
        return;
      case 'close':
        unsubscribe?.();
        service?.close();
        exit();
        return;
    }
  });

  async function answer(id: number, name: HandlerName, args: unknown): Promise<void> {
    if (service === undefined) return port.post({ type: 'result', id, result: { error: failure! } });
    try {
      port.post({ type: 'result', id, result: { data: await service.call(name, args) } });
    } catch (error) {
      port.post({ type: 'result', id, result: { error: toErrorData(error) } });
    }
  }
}
