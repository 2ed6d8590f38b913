import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu as data, with its actions passed in (main wires them to dialogs, the
 * opener and the window). Exports are made on a run's Results (its Export menu: report, tables,
 * figures, the converted network, each saved through a native save dialog): File's export items
 * open Results, where the run is chosen.
 */
export interface MenuActions {
  addDatasetFolder(): void;
  addEventFile(): void;
  importModel(): void;
  importDemoModel(): void;
  show(hash: string): void;
  about(): void;
  showDataFolder(): void;
}

export const SCREEN_ITEMS = [
  { label: 'Datasets', hash: '#/datasets' },
  { label: 'Models', hash: '#/models' },
  { label: 'Convert', hash: '#/convert' },
  { label: 'Runs', hash: '#/runs' },
  { label: 'Results', hash: '#/results' },
  { label: 'Settings and About', hash: '#/settings' },
] as const;

export function menuTemplate(actions: MenuActions, options: { platform: NodeJS.Platform; devTools: boolean }): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Add Dataset Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.addDatasetFolder() },
      { label: 'Add Event File…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.addEventFile() },
      { label: 'Import Model…', accelerator: 'CmdOrCtrl+I', click: () => actions.importModel() },
      { label: 'Import the Demo Model (MNIST CNN)', click: () => actions.importDemoModel() },
      { type: 'separator' },
      { label: 'Export Report, Table or Figure… (from Results)', accelerator: 'CmdOrCtrl+E', click: () => actions.show('#/results') },
      { label: 'Export Converted Network… (from Results)', click: () => actions.show('#/results') },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...SCREEN_ITEMS.map((s, i): MenuItemConstructorOptions => ({ label: s.label, accelerator: `CmdOrCtrl+${i + 1}`, click: () => actions.show(s.hash) })),
      { type: 'separator' },
      { role: 'reload' },
      ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'About TPP Workbench (Versions and Backend)', click: () => actions.about() },
      { label: 'Show the Data Folder', click: () => actions.showDataFolder() },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
    help,
  ];
}
