import { asServiceError, type Transport } from './transport';

/**
 * The desktop app's transport: the object the preload exposes as `window.tppw`. Its errors cross
 * the context bridge as data (`{ kind, message }`) and are rebuilt here into ServiceError, so
 * screens see the same errors as in browser mode. Undefined outside the desktop app.
 */
export function desktopTransport(scope: { readonly tppw?: Transport } = globalThis as { tppw?: Transport }): Transport | undefined {
  const bridged = scope.tppw;
  if (bridged === undefined) return undefined;
  return {
    call: (name, args) =>
      bridged.call(name, args).catch((error: unknown) => {
        throw asServiceError(error);
      }),
    subscribe: (listener) => bridged.subscribe(listener),
    ...(bridged.pickPath ? { pickPath: bridged.pickPath } : {}),
    ...(bridged.pickSavePath ? { pickSavePath: bridged.pickSavePath } : {}),
  };
}
