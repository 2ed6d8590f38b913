import { describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src-main/electron/common/routes';
import { forwardDrops, showScreen } from '../../src-main/electron/preload/page';
import { contextBridge, ipcRenderer, webUtils } from '../helpers/fake-electron';

vi.mock('electron', () => import('../helpers/fake-electron'));

/** A window with listeners by event name, a location, and no DOM (node has none). */
function fakeWindow() {
  const listeners = new Map<string, (event: unknown) => void>();
  return {
    location: { hash: '#/datasets' },
    addEventListener: (name: string, listener: (event: unknown) => void) => listeners.set(name, listener),
    fire(name: string, event: { target?: unknown; files?: { path?: string }[]; defaultPrevented?: boolean }) {
      const e = { defaultPrevented: event.defaultPrevented ?? false, target: event.target ?? { tagName: 'MAIN' }, dataTransfer: { files: event.files ?? [] }, preventDefault: vi.fn() };
      listeners.get(name)!(e);
      return e;
    },
  };
}

describe('the preload', () => {
  it('exposes one object, the transport, and nothing that sends to a channel of the page’s choosing', async () => {
    const page = fakeWindow();
    vi.stubGlobal('window', page);
    await import('../../src-main/electron/preload/index');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, exposed] = contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(name).toBe('tppw');
    expect(Object.keys(exposed).sort()).toEqual(['call', 'pickPath', 'pickSavePath', 'subscribe']);
    await (exposed['call'] as (n: string, a: unknown) => Promise<unknown>)('system.info', {});
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('tppw:call:system.info', {});
    await expect((exposed['call'] as (n: string, a: unknown) => Promise<unknown>)('tppw:dropped', ['/etc'])).rejects.toEqual({ kind: 'not_found', message: "there is no handler 'tppw:dropped'" });
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    // main's screen requests reach the page's location, and only hash routes do
    const navigate = ipcRenderer.on.mock.calls.find((c) => (c as unknown[])[0] === CHANNELS.navigate)![1] as unknown as (e: unknown, hash: unknown) => void;
    navigate({}, '#/models');
    expect(page.location.hash).toBe('#/models');
    vi.unstubAllGlobals();
  });

  it('forwards the paths of dropped files and folders to main, unless the page takes the drop', () => {
    const page = fakeWindow();
    const send = vi.fn();
    forwardDrops(page as never, (file) => webUtils.getPathForFile(file as never), send);
    expect(page.fire('dragover', {}).preventDefault).toHaveBeenCalled();
    const drop = page.fire('drop', { files: [{ path: '/data/nmnist' }, { path: '' }, { path: '/data/model.onnx' }] });
    expect(drop.preventDefault).toHaveBeenCalled();
    expect(send).toHaveBeenCalledWith(['/data/nmnist', '/data/model.onnx']);
    // a File a script made has no path: nothing to send
    page.fire('drop', { files: [{}] });
    // the Results screen's file input and the page's own drop handlers keep their drops
    const input = { tagName: 'INPUT', type: 'file' };
    expect(page.fire('dragover', { target: input }).preventDefault).not.toHaveBeenCalled();
    expect(page.fire('drop', { target: input, files: [{ path: '/data/result.json' }] }).preventDefault).not.toHaveBeenCalled();
    page.fire('drop', { defaultPrevented: true, files: [{ path: '/data/other' }] });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('shows only screens main names by their hash route', () => {
    const page = fakeWindow();
    for (const hash of ['javascript:alert(1)', 'https://example.com/#/x', '#/models?x=<b>', 42, undefined]) showScreen(page as never, hash);
    expect(page.location.hash).toBe('#/datasets');
    showScreen(page as never, '#/runs');
    expect(page.location.hash).toBe('#/runs');
  });
});
