import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi, type Mock } from 'vitest';
import { aboutText } from '../../src-main/electron/main/about';
import { menuTemplate, type MenuActions } from '../../src-main/electron/main/menu';

vi.mock('electron', () => import('../helpers/fake-electron'));

function actions(): { [K in keyof MenuActions]: Mock<MenuActions[K]> } {
  return { addDatasetFolder: vi.fn(), addEventFile: vi.fn(), importModel: vi.fn(), importDemoModel: vi.fn(), show: vi.fn(), about: vi.fn(), showDataFolder: vi.fn() };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label === label || m.role === label);
  if (!menu) throw new Error(`no menu ${label}`);
  return menu.submenu as MenuItemConstructorOptions[];
}

function item(items: MenuItemConstructorOptions[], label: string | RegExp): MenuItemConstructorOptions {
  const found = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
  if (!found) throw new Error(`no item ${String(label)}`);
  return found;
}

const click = (i: MenuItemConstructorOptions): void => (i.click as () => void)();

describe('the application menu', () => {
  it('File adds a dataset folder, an event file, or a model through their dialogs, or the demo model', () => {
    const a = actions();
    const file = submenu(menuTemplate(a, { platform: 'linux', devTools: false }), 'File');
    click(item(file, 'Add Dataset Folder…'));
    click(item(file, 'Add Event File…'));
    click(item(file, 'Import Model…'));
    click(item(file, 'Import the Demo Model (MNIST CNN)'));
    expect(a.addDatasetFolder).toHaveBeenCalledTimes(1);
    expect(a.addEventFile).toHaveBeenCalledTimes(1);
    expect(a.importModel).toHaveBeenCalledTimes(1);
    expect(a.importDemoModel).toHaveBeenCalledTimes(1);
    expect(item(file, 'Add Dataset Folder…').accelerator).toBe('CmdOrCtrl+O');
    expect(file.at(-1)).toEqual({ role: 'quit' });
  });

  it('exports open Results, where a run is chosen and its Export menu saves the file', () => {
    const a = actions();
    const file = submenu(menuTemplate(a, { platform: 'linux', devTools: false }), 'File');
    for (const label of [/^Export Report/, /^Export Converted Network/]) click(item(file, label));
    expect(a.show.mock.calls.map((c) => c[0])).toEqual(['#/results', '#/results']);
  });

  it('View shows each screen by its route, with developer tools only when asked', () => {
    const a = actions();
    const view = submenu(menuTemplate(a, { platform: 'linux', devTools: false }), 'View');
    const screens = view.filter((i) => i.click !== undefined);
    screens.forEach(click);
    expect(a.show.mock.calls.map((c) => c[0])).toEqual(['#/datasets', '#/models', '#/convert', '#/runs', '#/results', '#/settings']);
    expect(screens.map((s) => s.accelerator)).toEqual(['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+3', 'CmdOrCtrl+4', 'CmdOrCtrl+5', 'CmdOrCtrl+6']);
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(submenu(menuTemplate(a, { platform: 'linux', devTools: true }), 'View').some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('Help shows the versions and backend, and the data folder', () => {
    const a = actions();
    const help = submenu(menuTemplate(a, { platform: 'win32', devTools: false }), 'help');
    click(item(help, /^About TPP Workbench/));
    click(item(help, 'Show the Data Folder'));
    expect(a.about).toHaveBeenCalledTimes(1);
    expect(a.showDataFolder).toHaveBeenCalledTimes(1);
  });

  it('has the macOS application and window menus on macOS only', () => {
    const mac = menuTemplate(actions(), { platform: 'darwin', devTools: false });
    expect(mac.map((m) => m.label ?? m.role)).toEqual(['appMenu', 'File', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(submenu(mac, 'File').at(-1)).toEqual({ role: 'close' });
    expect(menuTemplate(actions(), { platform: 'linux', devTools: false }).map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'help']);
  });

  it('About names the versions, the data directory and the backend of the last finished run', () => {
    const versions = { electron: '41.7.1', chrome: '146.0', node: '24.1.0', v8: '14.6' };
    const info = { dataDir: '/users/ada/.local/share/tpp-workbench', schemaVersion: 3, version: '0.1.0', node: 'v24.1.0', cores: 8 };
    const text = aboutText({ app: '0.1.0', versions, info, backend: { name: 'wasm', runId: 7 } });
    expect(text).toContain('TPP Workbench 0.1.0');
    expect(text).toContain('Electron 41.7.1 · Chromium 146.0 · Node.js 24.1.0 · V8 14.6');
    expect(text).toContain('Data directory: /users/ada/.local/share/tpp-workbench');
    expect(text).toContain('Compute backend: wasm (used by run #7)');
    expect(aboutText({ app: '0.1.0', versions, info: undefined, backend: undefined })).toMatch(/does not answer[\s\S]*chosen when a run starts/);
  });
});
