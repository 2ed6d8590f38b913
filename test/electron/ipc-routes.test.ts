import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { HANDLER_NAMES, handlerSchemas, type HandlerName } from '../../src-main/common/contract';
import { CHANNELS, callChannel, ROUTED_HANDLERS, ROUTES, type CallResult } from '../../src-main/electron/common/routes';
import { EventRelay } from '../../src-main/electron/main/event-relay';
import { registerRoutes, UNTRUSTED } from '../../src-main/electron/main/ipc-routes';
import { PathGrants } from '../../src-main/electron/main/path-grants';
import { TrustedSenders } from '../../src-main/electron/main/sender';
import { FakeIpcMain, FakeWebContents, ipcEvent } from '../helpers/fake-electron';
import { FIXTURES } from '../helpers/fixtures';

vi.mock('electron', () => import('../helpers/fake-electron'));

function setUp() {
  const ipc = new FakeIpcMain();
  const senders = new TrustedSenders();
  const window = new FakeWebContents();
  senders.add(window as never);
  const calls: { name: HandlerName; args: unknown }[] = [];
  const service = {
    call: vi.fn(async (name: HandlerName, args: unknown): Promise<CallResult> => {
      calls.push({ name, args });
      return { data: name === 'datasets.list' ? [] : { answered: name } };
    }),
  };
  const grants = new PathGrants();
  const events = new EventRelay();
  const pick = vi.fn(async () => '/picked');
  const pickSave = vi.fn(async () => '/chosen/report.html');
  const dropped = vi.fn();
  registerRoutes(ipc as never, { senders, service, grants, events, pick, pickSave, dropped });
  return { ipc, window, calls, service, grants, events, pick, pickSave, dropped };
}

describe('the IPC routes', () => {
  it('mirror the contract: one route per handler, no more, no fewer', () => {
    expect([...ROUTED_HANDLERS].sort()).toEqual([...HANDLER_NAMES].sort());
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(handlerSchemas).sort());
  });

  it('main listens on exactly the handlers’ channels and the named others', () => {
    const { ipc } = setUp();
    expect([...ipc.handlers.keys()].sort()).toEqual([...HANDLER_NAMES.map(callChannel), CHANNELS.pickPath, CHANNELS.pickSavePath].sort());
    expect([...ipc.listeners.keys()].sort()).toEqual([CHANNELS.subscribe, CHANNELS.unsubscribe, CHANNELS.dropped].sort());
  });

  it('declare every argument that looks like a file path, read or written (a new handler with one must declare it)', () => {
    for (const name of HANDLER_NAMES) {
      const shape = (handlerSchemas[name] as z.ZodObject).shape as Record<string, z.ZodType>;
      const stringish = Object.keys(shape).filter((key) => /path|weights|file|dir|root|^out$|output|dest|target/i.test(key));
      expect([...ROUTES[name].paths].sort(), name).toEqual(stringish.sort());
    }
  });

  it('forward a trusted call to the service and answer what it answered', async () => {
    const { ipc, window, calls } = setUp();
    expect(await ipc.invoke(callChannel('runs.show'), ipcEvent(window), { id: 3 })).toEqual({ data: { answered: 'runs.show' } });
    expect(calls).toEqual([{ name: 'runs.show', args: { id: 3 } }]);
  });

  it('refuse calls from senders main does not trust, before the service sees them', async () => {
    const { ipc, window, calls, pick, dropped } = setUp();
    const stranger = new FakeWebContents();
    expect(await ipc.invoke(callChannel('system.info'), ipcEvent(stranger), {})).toEqual(UNTRUSTED);
    window.mainFrame.url = 'https://example.com/';
    expect(await ipc.invoke(callChannel('system.info'), ipcEvent(window), {})).toEqual(UNTRUSTED);
    expect(await ipc.invoke(CHANNELS.pickPath, ipcEvent(window), 'file')).toBeUndefined();
    ipc.emit(CHANNELS.dropped, ipcEvent(window), ['/etc']);
    expect(calls).toEqual([]);
    expect(pick).not.toHaveBeenCalled();
    expect(dropped).not.toHaveBeenCalled();
  });

  it('let a path through only when the user chose it', async () => {
    const { ipc, window, calls, grants } = setUp();
    const model = `${FIXTURES}/models/wonnx_opt-mnist.onnx`;
    const refused = (await ipc.invoke(callChannel('models.import'), ipcEvent(window), { path: model })) as { error: { kind: string; message: string } };
    expect(refused.error.kind).toBe('invalid_argument');
    expect(refused.error.message).toContain(`${model}: the desktop app reads only files and folders you choose`);
    expect(calls.map((c) => c.name)).toEqual(['datasets.list']);
    grants.grant(model);
    expect(await ipc.invoke(callChannel('models.import'), ipcEvent(window), { path: model })).toEqual({ data: { answered: 'models.import' } });
    // the weights argument is checked too
    const weights = (await ipc.invoke(callChannel('models.import'), ipcEvent(window), { path: model, weights: '/etc/passwd' })) as { error: { message: string } };
    expect(weights.error.message).toMatch(/^\/etc\/passwd: /);
  });

  it('ask the picker only for a file or a folder, and the save dialog only with a file name', async () => {
    const { ipc, window, pick, pickSave } = setUp();
    expect(await ipc.invoke(CHANNELS.pickPath, ipcEvent(window), 'folder')).toBe('/picked');
    expect(await ipc.invoke(CHANNELS.pickPath, ipcEvent(window), '/etc')).toBeUndefined();
    expect(pick).toHaveBeenCalledTimes(1);
    expect(await ipc.invoke(CHANNELS.pickSavePath, ipcEvent(window), 'report.html')).toBe('/chosen/report.html');
    for (const bad of [42, '', 'x'.repeat(256)]) expect(await ipc.invoke(CHANNELS.pickSavePath, ipcEvent(window), bad)).toBeUndefined();
    expect(await ipc.invoke(CHANNELS.pickSavePath, ipcEvent(new FakeWebContents()), 'report.html')).toBeUndefined();
    expect(pickSave).toHaveBeenCalledTimes(1);
  });

  it('take dropped paths as a short list of strings only', () => {
    const { ipc, window, dropped } = setUp();
    ipc.emit(CHANNELS.dropped, ipcEvent(window), ['/data/a', '/data/b']);
    ipc.emit(CHANNELS.dropped, ipcEvent(window), '/data/a');
    ipc.emit(CHANNELS.dropped, ipcEvent(window), [42]);
    ipc.emit(CHANNELS.dropped, ipcEvent(window), []);
    ipc.emit(CHANNELS.dropped, ipcEvent(window), Array.from({ length: 65 }, (_, i) => `/data/${i}`));
    expect(dropped.mock.calls).toEqual([[['/data/a', '/data/b']]]);
  });

  it('send events to the windows that subscribed, until they unsubscribe or close', () => {
    const { ipc, window, events } = setUp();
    const message = { event: 'log', data: { jobId: 1, level: 'info', message: 'hello' } } as const;
    events.forward(message);
    expect(window.sent).toEqual([]);
    ipc.emit(CHANNELS.subscribe, ipcEvent(window));
    events.forward(message);
    expect(window.sent).toEqual([{ channel: CHANNELS.event, args: [message] }]);
    ipc.emit(CHANNELS.unsubscribe, ipcEvent(window));
    events.forward(message);
    expect(window.sent).toHaveLength(1);
    ipc.emit(CHANNELS.subscribe, ipcEvent(window));
    window.destroy();
    events.forward(message);
    expect(window.sent).toHaveLength(1);
  });
});
