import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS } from '../common/routes';
import { forwardDrops, showScreen } from './page';
import { createPreloadTransport } from './transport';

/**
 * The preload: one object, `window.tppw`, the renderer's Transport over IPC (no generic send);
 * drops forwarded to main; main's requests to show a screen. Sandboxed: only `electron`'s
 * renderer modules are available, everything else is bundled in.
 */
contextBridge.exposeInMainWorld('tppw', createPreloadTransport(ipcRenderer));
forwardDrops(window, (file) => webUtils.getPathForFile(file), (paths) => ipcRenderer.send(CHANNELS.dropped, paths));
ipcRenderer.on(CHANNELS.navigate, (_event, hash: unknown) => showScreen(window, hash));
