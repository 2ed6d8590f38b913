import { describe, expect, it, vi } from 'vitest';
import { WorkbenchError } from '../../src-main/common/errors';
import type { FromService, ToService } from '../../src-main/electron/common/service-protocol';
import { ServiceClient, type ServiceConnection } from '../../src-main/electron/main/service-client';
import { serveOverPort } from '../../src-main/electron/service/serve';

vi.mock('electron', () => import('../helpers/fake-electron'));

/** A service process that records what main sent and answers when told. */
function fakeProcess() {
  let receive: (m: FromService) => void = () => undefined;
  let exit: (code: number) => void = () => undefined;
  const sent: ToService[] = [];
  const connection: ServiceConnection = {
    port: { post: (m) => sent.push(m), onMessage: (l) => (receive = l) },
    onExit: (l) => (exit = l),
  };
  return { connection, sent, answer: (m: FromService) => receive(m), die: (code: number) => exit(code) };
}

describe("main's service client", () => {
  it('matches answers to calls by id, and fans events out', async () => {
    const p = fakeProcess();
    const client = new ServiceClient(() => p.connection);
    const events = vi.fn();
    client.onEvent(events);
    const first = client.call('runs.show', { id: 1 });
    const second = client.call('system.info', {});
    expect(p.sent).toEqual([{ type: 'call', id: 1, name: 'runs.show', args: { id: 1 } }, { type: 'call', id: 2, name: 'system.info', args: {} }]);
    p.answer({ type: 'result', id: 2, result: { data: 'info' } });
    p.answer({ type: 'result', id: 1, result: { error: { kind: 'not_found', message: 'there is no run 1' } } });
    expect(await second).toEqual({ data: 'info' });
    expect(await first).toEqual({ error: { kind: 'not_found', message: 'there is no run 1' } });
    p.answer({ type: 'event', message: { event: 'log', data: { jobId: null, level: 'info', message: 'm' } } });
    expect(events).toHaveBeenCalledTimes(1);
  });

  it('fails the calls in flight when the process dies, and starts a fresh one for the next call', async () => {
    const processes = [fakeProcess(), fakeProcess()];
    const connect = vi.fn(() => processes[connect.mock.calls.length - 1]!.connection);
    const client = new ServiceClient(connect);
    const lost = client.call('runs.list', {});
    processes[0]!.die(9);
    expect(await lost).toEqual({ error: { kind: 'internal', message: 'the workbench service stopped (exit code 9); the next call starts it again' } });
    const next = client.call('system.info', {});
    expect(connect).toHaveBeenCalledTimes(2);
    processes[1]!.answer({ type: 'result', id: 2, result: { data: 'ok' } });
    expect(await next).toEqual({ data: 'ok' });
  });

  it('hears when the service cannot open its data directory, and every call answers why', async () => {
    let toMain: (m: FromService) => void = () => undefined;
    let toService: (m: ToService) => void = () => undefined;
    const client = new ServiceClient(() => ({ port: { post: (m) => toService(m), onMessage: (l) => (toMain = l) }, onExit: () => undefined }));
    const fatal = vi.fn();
    client.onFatal(fatal);
    client.start();
    const cannot = new WorkbenchError('io', 'data directory /ro: permission denied (EACCES)');
    serveOverPort({ post: (m) => toMain(m), onMessage: (l) => (toService = l) }, () => { throw cannot; }, () => undefined);
    expect(fatal).toHaveBeenCalledWith({ kind: 'io', message: 'data directory /ro: permission denied (EACCES)' });
    expect(await client.call('system.info', {})).toEqual({ error: { kind: 'io', message: 'data directory /ro: permission denied (EACCES)' } });
  });
});
