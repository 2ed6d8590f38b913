import { BrowserWindow, screen } from 'electron';
import { APP_URL } from './app-protocol';
import { loadWindowState, saveWindowState } from './window-state';

/**
 * The workbench window: the renderer from app://, the preload as its only bridge, and every
 * isolation Electron offers (context isolation, the OS sandbox, no Node, web security). Its place
 * and size come back from the last launch.
 */
export interface WindowOptions {
  readonly preload: string;
  readonly stateFile: string;
  /** Developer tools: only when not packaged. */
  readonly devTools: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const state = loadWindowState(options.stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'TPP Workbench',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveWindowState(options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  void window.loadURL(APP_URL);
  return window;
}
