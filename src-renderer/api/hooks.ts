import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { EventMessage, HandlerInput, HandlerName, HandlerOutput } from '../../src-main/common/contract';
import { asServiceError, type ServiceError, type Transport } from './transport';

export const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (transport === null) throw new Error('no transport: wrap the app in TransportContext');
  return transport;
}

export interface CallState<T> {
  readonly data: T | undefined;
  readonly error: ServiceError | undefined;
  readonly loading: boolean;
  reload(): void;
}

export { asServiceError };

/** Calls a handler when its arguments change (null: not yet), keeping the last answer while reloading. */
export function useCall<K extends HandlerName>(name: K, args: HandlerInput<K> | null): CallState<HandlerOutput<K>> {
  const transport = useTransport();
  const [state, setState] = useState<{ data?: HandlerOutput<K>; error?: ServiceError; loading: boolean }>({ loading: args !== null });
  const [tick, setTick] = useState(0);
  const key = args === null ? null : JSON.stringify(args);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    transport.call(name, JSON.parse(key) as HandlerInput<K>).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error: asServiceError(error), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [transport, name, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Listens to the service's events while mounted. */
export function useServiceEvents(listener: (message: EventMessage) => void): void {
  const transport = useTransport();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => transport.subscribe((m) => ref.current(m)), [transport]);
}

/** Runs an action (a handler call), tracking whether it is in flight and its error. */
export function useAction(): { busy: boolean; error: ServiceError | undefined; run: <T>(action: () => Promise<T>) => Promise<T | undefined>; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ServiceError>();
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (e) {
      setError(asServiceError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}
