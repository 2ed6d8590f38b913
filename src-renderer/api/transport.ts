import type { EventMessage } from '../../src-main/common/contract';
import type { ErrorData } from '../../src-main/common/errors';
import type { Transport } from '../../src-main/common/transport';

export type { Transport };

/**
 * The renderer's one door to the workbench service: the contract's handlers and events. Browser
 * mode speaks HTTP to `tppw serve`; the desktop app's preload offers the same interface
 * (desktop-transport.ts).
 */
export class ServiceError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Anything a call rejected with, as a ServiceError: errors that crossed as data (`{ kind, message }`) keep their kind. */
export function asServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const data = error as Partial<ErrorData> | null;
  if (data !== null && typeof data === 'object' && typeof data.kind === 'string' && typeof data.message === 'string') return new ServiceError(data.kind, data.message);
  return new ServiceError('internal', error instanceof Error ? error.message : String(error));
}

const EVENT_NAMES = ['job.progress', 'job.finished', 'log'] as const;

/** The HTTP bridge: POST /api/<handler>, server-sent events from /api/events; the token rides in a cookie. */
export function httpTransport(base = ''): Transport {
  const listeners = new Set<(message: EventMessage) => void>();
  let source: EventSource | undefined;
  return {
    artifactUrl: (id) => `${base}/artifacts/${id}`,
    async call(name, args) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args), credentials: 'same-origin' });
      } catch (error) {
        throw new ServiceError('io', `the workbench service does not answer (${(error as Error).message}); is tppw serve still running?`);
      }
      let body: { data?: unknown; error?: { kind: string; message: string } };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new ServiceError('internal', `${name}: the service answered HTTP ${response.status} without JSON`);
      }
      if (body.error !== undefined) throw new ServiceError(body.error.kind, body.error.message);
      return body.data as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (source === undefined) {
        source = new EventSource(`${base}/api/events`, { withCredentials: true });
        for (const event of EVENT_NAMES) {
          source.addEventListener(event, (e) => {
            const message = { event, data: JSON.parse((e as MessageEvent<string>).data) } as EventMessage;
            for (const l of listeners) l(message);
          });
        }
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = undefined;
        }
      };
    },
  };
}
