import type { EventMessage, HandlerName } from '../../common/contract';
import type { ErrorData } from '../../common/errors';
import type { CallResult } from '../common/routes';
import type { FromService, Port, ToService } from '../common/service-protocol';

/**
 * Main's end of the channel to the service process: calls go out with an id and come back as
 * data or error data (never a rejection), events fan out to listeners. When the process dies,
 * calls in flight fail with a message that says so, and the next call starts a fresh one.
 */
export interface ServiceConnection {
  readonly port: Port<FromService, ToService>;
  onExit(listener: (code: number) => void): void;
}

export class ServiceClient {
  private connection: ServiceConnection | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (result: CallResult) => void>();
  private readonly listeners = new Set<(message: EventMessage) => void>();
  private readonly fatalListeners = new Set<(error: ErrorData) => void>();

  constructor(private readonly connect: () => ServiceConnection) {}

  /** Starts the service now (it streams job events from the start), or returns the running one. */
  start(): ServiceConnection {
    if (this.connection !== undefined) return this.connection;
    const connection = this.connect();
    connection.port.onMessage((message) => this.receive(message));
    connection.onExit((code) => {
      if (this.connection === connection) this.connection = undefined;
      const error: ErrorData = { kind: 'internal', message: `the workbench service stopped (exit code ${code}); the next call starts it again` };
      for (const resolve of this.pending.values()) resolve({ error });
      this.pending.clear();
    });
    this.connection = connection;
    return connection;
  }

  call(name: HandlerName, args: unknown): Promise<CallResult> {
    const connection = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      connection.port.post({ type: 'call', id, name, args });
    });
  }

  onEvent(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onFatal(listener: (error: ErrorData) => void): void {
    this.fatalListeners.add(listener);
  }

  /** Asks the service to close its store and exit. */
  close(): void {
    this.connection?.port.post({ type: 'close' });
    this.connection = undefined;
  }

  private receive(message: FromService): void {
    switch (message.type) {
      case 'result': {
        const resolve = this.pending.get(message.id);
        this.pending.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case 'event':
        for (const listener of this.listeners) listener(message.message);
        return;
      case 'fatal':
        for (const listener of this.fatalListeners) listener(message.error);
        return;
    }
  }
}
