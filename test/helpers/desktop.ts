import { MessageChannel } from 'node:worker_threads';
import type { Transport } from '../../src-main/common/transport';
import { emitterPort, type FromService, type ToService } from '../../src-main/electron/common/service-protocol';
import { pickPath, pickSavePath } from '../../src-main/electron/main/dialogs';
import { EventRelay } from '../../src-main/electron/main/event-relay';
import { registerRoutes } from '../../src-main/electron/main/ipc-routes';
import { PathGrants } from '../../src-main/electron/main/path-grants';
import { TrustedSenders } from '../../src-main/electron/main/sender';
import { ServiceClient } from '../../src-main/electron/main/service-client';
import { createPreloadTransport, type IpcRendererLike } from '../../src-main/electron/preload/transport';
import { serveOverPort } from '../../src-main/electron/service/serve';
import type { WorkbenchService } from '../../src-main/service/service';
import { dialog, FakeIpcMain, FakeWebContents, ipcEvent } from './fake-electron';

/**
 * The desktop app's chain without the Electron binary (test files mock `electron` with
 * fake-electron.ts): the preload's transport, IPC to main's routes (structured clones, as
 * Electron's IPC makes), main's service client, node's MessageChannel standing in for the utility
 * process's port, and the given service behind it. Native dialogs answer what `willPick` says.
 */
export class DesktopWindow extends FakeWebContents {
  readonly renderer = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  override send(channel: string, ...args: unknown[]): void {
    super.send(channel, ...args);
    for (const listener of this.renderer.get(channel) ?? []) listener({}, ...structuredClone(args));
  }
}

export interface Desktop {
  /** What the preload exposes as window.tppw. */
  readonly preload: Transport;
  readonly ipcMain: FakeIpcMain;
  readonly window: DesktopWindow;
  close(): void;
}

export function wireDesktop(service: WorkbenchService): Desktop {
  const channel = new MessageChannel();
  serveOverPort(emitterPort<ToService, FromService>(channel.port2), () => service, () => undefined);
  const client = new ServiceClient(() => ({ port: emitterPort<FromService, ToService>(channel.port1), onExit: () => undefined }));
  const ipcMain = new FakeIpcMain();
  const window = new DesktopWindow();
  const senders = new TrustedSenders();
  senders.add(window);
  const grants = new PathGrants();
  const relay = new EventRelay();
  client.onEvent((m) => relay.forward(m));
  client.start();
  registerRoutes(ipcMain as never, { senders, service: client, grants, events: relay, pick: (_sender, kind) => pickPath(undefined, kind, grants), pickSave: (_sender, name) => pickSavePath(undefined, name, grants), dropped: () => undefined });
  const ipcRenderer: IpcRendererLike = {
    invoke: async (ch, ...args) => structuredClone(await ipcMain.invoke(ch, ipcEvent(window), ...structuredClone(args))),
    send: (ch, ...args) => ipcMain.emit(ch, ipcEvent(window), ...structuredClone(args)),
    on: (ch, listener) => window.renderer.set(ch, (window.renderer.get(ch) ?? new Set()).add(listener)),
    removeListener: (ch, listener) => window.renderer.get(ch)?.delete(listener),
  };
  return { preload: createPreloadTransport(ipcRenderer), ipcMain, window, close: () => channel.port1.close() };
}

/** What the user picks in the next native dialog. */
export function willPick(path: string): void {
  dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [path] });
}
