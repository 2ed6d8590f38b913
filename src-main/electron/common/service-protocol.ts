import type { EventMessage, HandlerName } from '../../common/contract';
import type { ErrorData } from '../../common/errors';
import type { CallResult } from './routes';

/**
 * Messages between the main process and the service's utility process. Main forwards each
 * renderer call with an id and gets its result back under that id; events flow the other way
 * for as long as the service runs. `fatal`: the service could not open its data directory.
 */
export type ToService = { readonly type: 'call'; readonly id: number; readonly name: HandlerName; readonly args: unknown } | { readonly type: 'close' };

export type FromService =
  | { readonly type: 'result'; readonly id: number; readonly result: CallResult }
  | { readonly type: 'event'; readonly message: EventMessage }
  | { readonly type: 'fatal'; readonly error: ErrorData };

/** One end of a message channel: a utilityProcess, its parentPort, or node's MessagePort in tests. */
export interface Port<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** Ends whose 'message' listener receives the value itself (UtilityProcess, node's MessagePort). */
export function emitterPort<In, Out>(end: { postMessage(message: unknown): void; on(event: 'message', listener: (message: In) => void): unknown }): Port<In, Out> {
  return { post: (message) => end.postMessage(message), onMessage: (listener) => void end.on('message', listener) };
}
