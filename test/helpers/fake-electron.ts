import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module in plain Node (the Electron binary is not installed
 * where the tests run; `require('electron')` would throw). Each test file mocks `electron` with
 * `vi.mock('electron', () => import('../helpers/fake-electron'))` and inspects what the code
 * under test did to these fakes.
 */
export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly mainFrame = { url: 'app://workbench/index.html' };
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  maximized = false;
  shown = false;
  normalBounds = { x: 10, y: 20, width: 1000, height: 700 };

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created;
  }

  static fromWebContents(contents: FakeWebContents): BrowserWindow | null {
    return BrowserWindow.created.find((w) => w.webContents === contents) ?? null;
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }

  maximize(): void {
    this.maximized = true;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  show(): void {
    this.shown = true;
  }

  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return this.normalBounds;
  }
}

export const screen = {
  getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> => ({ canceled: true, filePaths: [] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> => ({ canceled: true })),
  showMessageBox: vi.fn(async () => ({ response: 0 })),
  showErrorBox: vi.fn(),
};

/** ipcMain: handlers by channel; `invoke` and `emit` play the renderer's side with a given event. */
export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  readonly listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();

  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.listeners.set(channel, listener);
    return this;
  }

  invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(handler(event, ...args));
  }

  emit(channel: string, event: unknown, ...args: unknown[]): void {
    this.listeners.get(channel)?.(event, ...args);
  }
}

export const ipcMain = new FakeIpcMain();
export const shell = { openPath: vi.fn(async () => '') };
export const utilityProcess = { fork: vi.fn() };
export const app = { isPackaged: false, getVersion: () => '0.1.0', getPath: () => '/tmp' };
export const Menu = { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() };
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };

/** An IPC event as main receives it: from `frame` (default: the main frame) of `contents`. */
export function ipcEvent(contents: FakeWebContents, frame: { url: string } | null = contents.mainFrame): unknown {
  return { sender: contents, senderFrame: frame };
}

/** The preload's side: what it exposed, and an ipcRenderer that records. */
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = { invoke: vi.fn(async () => ({ data: null })), send: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
export const webUtils = { getPathForFile: vi.fn((file: { path?: string }) => file.path ?? '') };
