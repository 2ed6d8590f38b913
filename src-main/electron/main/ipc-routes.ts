import type { IpcMain, WebContents } from 'electron';
import type { CallResult } from '../common/routes';
import { CHANNELS, callChannel, ROUTED_HANDLERS } from '../common/routes';
import type { EventRelay } from './event-relay';
import { refusedPath, type PathGrants } from './path-grants';
import type { TrustedSenders } from './sender';
import type { ServiceClient } from './service-client';

/**
 * Main's IPC surface: one invoke channel per handler of the contract (routes.ts), forwarded to
 * the service process after the sender and any path arguments are checked; open and save pickers; the events
 * subscription; dropped paths. Nothing else is listened to, and no channel carries a channel name.
 */
export interface RouteDeps {
  readonly senders: TrustedSenders;
  readonly service: Pick<ServiceClient, 'call'>;
  readonly grants: PathGrants;
  readonly events: EventRelay;
  pick(sender: WebContents, kind: 'file' | 'folder'): Promise<string | undefined>;
  pickSave(sender: WebContents, suggestedName: string): Promise<string | undefined>;
  dropped(paths: readonly string[]): void;
}

export const UNTRUSTED: CallResult = { error: { kind: 'unauthorized', message: 'this page may not call the workbench service' } };

/** At most this many paths in one drop (a folder counts once). */
const MAX_DROPPED = 64;

export function registerRoutes(ipc: Pick<IpcMain, 'handle' | 'on'>, deps: RouteDeps): void {
  const registeredRoots = async (): Promise<string[]> => {
    const listed = await deps.service.call('datasets.list', {});
    return 'data' in listed ? (listed.data as { path: string }[]).map((d) => d.path) : [];
  };
  for (const name of ROUTED_HANDLERS) {
    ipc.handle(callChannel(name), async (event, args: unknown): Promise<CallResult> => {
      if (!deps.senders.trusts(event)) return UNTRUSTED;
      const refused = await refusedPath(name, args, deps.grants, registeredRoots);
      return refused === undefined ? deps.service.call(name, args) : { error: refused };
    });
  }
  ipc.handle(CHANNELS.pickPath, async (event, kind: unknown) => {
    if (!deps.senders.trusts(event) || (kind !== 'file' && kind !== 'folder')) return undefined;
    return deps.pick(event.sender, kind);
  });
  ipc.handle(CHANNELS.pickSavePath, async (event, name: unknown) => {
    if (!deps.senders.trusts(event) || typeof name !== 'string' || name.length === 0 || name.length > 255) return undefined;
    return deps.pickSave(event.sender, name);
  });
  ipc.on(CHANNELS.subscribe, (event) => {
    if (deps.senders.trusts(event)) deps.events.add(event.sender);
  });
  ipc.on(CHANNELS.unsubscribe, (event) => deps.events.remove(event.sender));
  ipc.on(CHANNELS.dropped, (event, paths: unknown) => {
    if (deps.senders.trusts(event) && isPathList(paths)) deps.dropped(paths);
  });
}

function isPathList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.length <= MAX_DROPPED && value.every((p) => typeof p === 'string' && p.length > 0 && p.length < 4096);
}
