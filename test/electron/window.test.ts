import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_URL } from '../../src-main/electron/main/app-protocol';
import { parseLaunchArgs } from '../../src-main/electron/main/launch-args';
import { createMainWindow } from '../../src-main/electron/main/window';
import { DEFAULT_STATE, loadWindowState } from '../../src-main/electron/main/window-state';
import { BrowserWindow, screen } from '../helpers/fake-electron';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

vi.mock('electron', () => import('../helpers/fake-electron'));

const DISPLAY = { x: 0, y: 0, width: 1920, height: 1080 };

describe('the main window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security, the preload as its only bridge', () => {
    const stateFile = join(tempDir('tppw-window-'), 'window-state.json');
    const window = createMainWindow({ preload: '/app/out/preload/index.js', stateFile, devTools: false }) as unknown as BrowserWindow;
    expect(window.options['webPreferences']).toEqual({
      preload: '/app/out/preload/index.js',
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
      devTools: false,
    });
    expect(window.loadedUrl).toBe(APP_URL);
    expect(APP_URL).toBe('app://workbench/index.html');
    // shown once painted, at the default size on a first launch
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
    expect(window.options).toMatchObject({ width: DEFAULT_STATE.bounds.width, height: DEFAULT_STATE.bounds.height, show: false });
  });

  it('comes back where it was closed, maximized or not', () => {
    const stateFile = join(tempDir('tppw-window-'), 'window-state.json');
    const first = createMainWindow({ preload: 'p.js', stateFile, devTools: true }) as unknown as BrowserWindow;
    first.normalBounds = { x: 200, y: 150, width: 1100, height: 720 };
    first.maximized = true;
    first.emit('close');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ bounds: { x: 200, y: 150, width: 1100, height: 720 }, maximized: true });
    const second = createMainWindow({ preload: 'p.js', stateFile, devTools: true }) as unknown as BrowserWindow;
    expect(second.options).toMatchObject({ x: 200, y: 150, width: 1100, height: 720 });
    expect(second.maximized).toBe(true);
    expect(screen.getAllDisplays).toHaveBeenCalled();
  });

  it('falls back to the default place when the saved one is on no display, or the file is damaged', () => {
    const dir = tempDir('tppw-window-');
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ bounds: { x: 5000, y: 5000, width: 800, height: 600 }, maximized: false }));
    expect(loadWindowState(file, [DISPLAY])).toEqual({ bounds: DEFAULT_STATE.bounds, maximized: false });
    // 60 px of it on the display: not enough to grab
    writeFileSync(file, JSON.stringify({ bounds: { x: 1860, y: 100, width: 800, height: 600 }, maximized: false }));
    expect(loadWindowState(file, [DISPLAY]).bounds).toEqual(DEFAULT_STATE.bounds);
    writeFileSync(file, JSON.stringify({ bounds: { x: 1700, y: 100, width: 800, height: 600 }, maximized: false }));
    expect(loadWindowState(file, [DISPLAY]).bounds).toEqual({ x: 1700, y: 100, width: 800, height: 600 });
    writeFileSync(file, '{ not json');
    expect(loadWindowState(file, [DISPLAY])).toEqual(DEFAULT_STATE);
    writeFileSync(file, JSON.stringify({ bounds: { x: 'a', y: 0, width: 800, height: 600 } }));
    expect(loadWindowState(file, [DISPLAY])).toEqual(DEFAULT_STATE);
    expect(loadWindowState(join(dir, 'missing.json'), [DISPLAY])).toEqual(DEFAULT_STATE);
  });
});

describe('the command line', () => {
  const model = join(FIXTURES, 'models', 'wonnx_opt-mnist.onnx');

  it.skipIf(!HAVE_FIXTURES)('opens the existing paths it names, after the executable (and the app folder when not packaged)', () => {
    expect(parseLaunchArgs(['/opt/tppw/tppw', model, '--no-sandbox', '/no/such/file'], '/', true)).toEqual({ dataDir: undefined, paths: [model] });
    expect(parseLaunchArgs(['/usr/bin/electron', '.', model], '/', false).paths).toEqual([model]);
    // "open with" from a second launch, relative to its working directory
    expect(parseLaunchArgs(['/opt/tppw/tppw', 'wonnx_opt-mnist.onnx'], join(FIXTURES, 'models'), true).paths).toEqual([model]);
  });

  it('takes --data-dir=DIR relative to the working directory', () => {
    expect(parseLaunchArgs(['tppw', '--data-dir=work/data'], '/users/ada', true).dataDir).toBe('/users/ada/work/data');
  });
});
