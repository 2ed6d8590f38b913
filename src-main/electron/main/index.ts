import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { defaultDataDir } from '../../store/data-dir';
import { CHANNELS } from '../common/routes';
import { aboutFacts, aboutText } from './about';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { pickPath, pickSavePath, type PickPurpose } from './dialogs';
import { EventRelay } from './event-relay';
import { guardSession, guardWebContents } from './guards';
import { registerRoutes } from './ipc-routes';
import { parseLaunchArgs } from './launch-args';
import { menuTemplate } from './menu';
import { PathOpener } from './open-paths';
import { PathGrants } from './path-grants';
import { TrustedSenders } from './sender';
import { ServiceClient } from './service-client';
import { forkService } from './service-process';
import { createMainWindow } from './window';

/**
 * The desktop app's main process: windows, menus, dialogs and routing, nothing else. The service
 * runs in a utility process (service-process.ts), job workers in their own processes; main
 * forwards the preload's calls to the service and the service's events to the window.
 */
registerAppScheme(protocol);
app.enableSandbox();

const launch = parseLaunchArgs(process.argv, process.cwd(), app.isPackaged);
if (!app.requestSingleInstanceLock()) app.quit();
else startApp();

function startApp(): void {
  const dataDir = launch.dataDir ?? defaultDataDir();
  const grants = new PathGrants();
  const senders = new TrustedSenders();
  const events = new EventRelay();
  const service = new ServiceClient(() => forkService(join(__dirname, 'service.js'), dataDir));
  let window: BrowserWindow | undefined;
  let loaded = false;
  const waiting: { paths: readonly string[]; as?: 'dataset' | 'model' }[] = [{ paths: launch.paths }];

  const messageBox = (type: 'error' | 'info', title: string, detail: string): void => {
    const options = { type, title, message: title, detail };
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
  };
  const report = (title: string, message: string): void => messageBox('error', title, message);
  const navigate = (hash: string): void => window?.webContents.send(CHANNELS.navigate, hash);
  const opener = new PathOpener({ service, grants, navigate, report });
  const openPaths = (paths: readonly string[], as?: 'dataset' | 'model'): void => {
    if (loaded) void opener.open(paths, as);
    else waiting.push({ paths, ...(as ? { as } : {}) });
  };
  const pickAndOpen = async (purpose: PickPurpose, as: 'dataset' | 'model'): Promise<void> => {
    const path = await pickPath(window, purpose, grants);
    if (path !== undefined) openPaths([path], as);
  };

  const openWindow = (): void => {
    loaded = false;
    window = createMainWindow({ preload: join(__dirname, '..', 'preload', 'index.js'), stateFile: join(app.getPath('userData'), 'window-state.json'), devTools: !app.isPackaged });
    senders.add(window.webContents);
    window.webContents.once('did-finish-load', () => {
      loaded = true;
      for (const w of waiting.splice(0)) openPaths(w.paths, w.as);
    });
    window.on('closed', () => (window = undefined));
  };

  app.on('open-file', (event, path) => {
    event.preventDefault();
    openPaths([path]);
  });
  app.on('second-instance', (_event, argv, cwd) => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
    openPaths(parseLaunchArgs(argv, cwd, app.isPackaged).paths);
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => service.close());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  void app.whenReady().then(() => {
    guardSession(session.defaultSession);
    serveRenderer(protocol, join(__dirname, '..', 'renderer'));
    service.onEvent((message) => {
      events.forward(message);
      opener.onEvent(message);
    });
    service.onFatal((error) => dialog.showErrorBox('The workbench service cannot open its data directory', error.message));
    service.start();
    registerRoutes(ipcMain, {
      senders,
      service,
      grants,
      events,
      pick: (sender, kind) => pickPath(BrowserWindow.fromWebContents(sender) ?? undefined, kind, grants),
      pickSave: (sender, name) => pickSavePath(BrowserWindow.fromWebContents(sender) ?? undefined, name, grants),
      dropped: (paths) => openPaths(paths),
    });
    const actions = {
      addDatasetFolder: () => void pickAndOpen('dataset-folder', 'dataset'),
      addEventFile: () => void pickAndOpen('event-file', 'dataset'),
      importModel: () => void pickAndOpen('model-file', 'model'),
      importDemoModel: () => openPaths([join(app.getAppPath(), 'assets', 'demo', 'mnist-cnn.tppw')], 'model'),
      show: navigate,
      about: () => void aboutFacts(service, app.getVersion(), process.versions).then((facts) => messageBox('info', 'About TPP Workbench', aboutText(facts))),
      showDataFolder: () => void shell.openPath(dataDir),
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, { platform: process.platform, devTools: !app.isPackaged })));
    openWindow();
  });
}
