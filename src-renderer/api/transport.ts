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

const EVENT_NAMES: readonly string[] = ['job.progress', 'job.finished', 'log'];
const RECONNECT_MS = 1000;

/**
 * The HTTP bridge: POST /api/<handler>, server-sent events from /api/events, downloads from
 * /artifacts/<id>, each with the token in the Authorization header (never a cookie). The event
 * stream is read with fetch, as EventSource cannot send headers, and reopened after a drop.
 */
export function httpTransport(base = '', token = ''): Transport {
  const listeners = new Set<(message: EventMessage) => void>();
  const auth: Record<string, string> = token === '' ? {} : { Authorization: `Bearer ${token}` };
  let stream: AbortController | undefined;
  const dispatch = (event: string, data: string): void => {
    if (!EVENT_NAMES.includes(event)) return;
    const message = { event, data: JSON.parse(data) } as EventMessage;
    for (const l of listeners) l(message);
  };
  const open = (): void => {
    const controller = new AbortController();
    stream = controller;
    void readEvents(`${base}/api/events`, auth, controller.signal, dispatch).finally(() => {
      // Dropped (the server restarted, the network blinked): reopen while anyone listens.
      if (stream === controller && !controller.signal.aborted) setTimeout(() => stream === controller && open(), RECONNECT_MS);
    });
  };
  return {
    async download(id, fileName) {
      const response = await fetch(`${base}/artifacts/${id}`, { headers: auth });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { kind: string; message: string } };
        throw new ServiceError(body.error?.kind ?? 'io', body.error?.message ?? `download of artifact ${id}: HTTP ${response.status}`);
      }
      const url = URL.createObjectURL(await response.blob());
      try {
        const a = document.createElement('a');
        a.href = url;
        a.download = fileName;
        document.body.append(a);
        a.click();
        a.remove();
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    },
    async call(name, args) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/${name}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
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
      if (stream === undefined) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stream?.abort();
          stream = undefined;
        }
      };
    },
  };
}

/** Reads a server-sent event stream until it ends or is aborted: `event:` and `data:` lines, a blank line ends each event. */
async function readEvents(url: string, headers: Record<string, string>, signal: AbortSignal, onEvent: (event: string, data: string) => void): Promise<void> {
  try {
    const response = await fetch(url, { headers: { ...headers, Accept: 'text/event-stream' }, signal });
    if (!response.ok || response.body === null) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = 'message';
    let data: string[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length > 0) onEvent(event, data.join('\n'));
          event = 'message';
          data = [];
        } else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  } catch {
    // aborted, or the connection dropped: the caller decides whether to reopen
  }
}
