import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src-main/server/http-bridge';
import type { WorkbenchService } from '../../src-main/service/service';
import { REPO_ROOT } from '../helpers/fixtures';
import { DEMO_MODEL_FILE, openService, removeDir, tempDataDir } from '../helpers/workbench';

let dir: string;
let service: WorkbenchService;
let bridge: Bridge;
let site: string;

beforeAll(async () => {
  dir = tempDataDir();
  site = join(dir, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>tppw</title>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  service = openService(dir, { roots: [REPO_ROOT] });
  bridge = await startBridge({ service, host: '127.0.0.1', port: 0, staticDir: site, maxBodyBytes: 4096 });
});

afterAll(async () => {
  await bridge?.close();
  service?.close();
  removeDir(dir);
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, method, path, headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' });
const call = (handler: string, body: string, headers = auth()) => send('POST', `/api/${handler}`, { body, headers });

describe('HTTP bridge', () => {
  it('answers calls with the per-launch token, and nothing without it', async () => {
    const ok = await call('system.info', '{}');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).data.dataDir).toBe(dir);
    const attempts: Record<string, string>[] = [{ 'content-type': 'application/json' }, { ...auth(), authorization: 'Bearer wrong' }, { ...auth(), authorization: `Bearer ${bridge.token}x` }];
    for (const headers of attempts) {
      const refused = await call('system.info', '{}', headers);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body).error.kind).toBe('unauthorized');
    }
  });

  it('malformed requests get a 4xx with the error kind', async () => {
    const cases: [Promise<Reply>, number, string][] = [
      [call('runs.show', '{"id":'), 400, 'invalid_argument'],
      [call('runs.show', '{"id":"seven"}'), 400, 'invalid_argument'],
      [call('runs.show', '{"id":7}'), 404, 'not_found'],
      [call('no.such.handler', '{}'), 404, 'not_found'],
      [call('runs.list', '{}', { authorization: `Bearer ${bridge.token}`, 'content-type': 'text/plain' }), 415, 'invalid_argument'],
      [send('GET', '/api/runs.list', { headers: auth() }), 405, 'invalid_argument'],
      [call('datasets.import', JSON.stringify({ path: 'x'.repeat(5000) })), 413, 'invalid_argument'],
      [call('datasets.import', JSON.stringify({ path: '/etc' })), 400, 'invalid_argument'],
      [call('models.import', JSON.stringify({ path: 'no-such-model.onnx' })), 404, 'not_found'],
    ];
    for (const [reply, status, kind] of cases) {
      const r = await reply;
      expect({ status: r.status, kind: JSON.parse(r.body).error.kind }).toEqual({ status, kind });
      expect(r.body).not.toMatch(/\n\s+at /); // never a stack
    }
  });

  it('sends no CORS headers and refuses other Host names (DNS rebinding)', async () => {
    const cross = await call('system.info', '{}', { ...auth(), origin: 'http://evil.example' });
    expect(cross.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send('OPTIONS', '/api/system.info', { headers: { ...auth(), origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(405);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await call('system.info', '{}', { ...auth(), host: `evil.example:${bridge.port}` });
    expect(rebound.status).toBe(403);
  });

  it('serves the renderer without the token and sets no cookie; the API takes the token only in the Authorization header', async () => {
    const page = await send('GET', `/?token=${bridge.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>tppw</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    // Cookies are not isolated by port: a token in one would reach every server on 127.0.0.1.
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await send('GET', '/')).status).toBe(200);
    const withoutToken: Record<string, string>[] = [{ cookie: `tppw_token=${bridge.token}`, 'content-type': 'application/json' }, { 'content-type': 'application/json' }];
    for (const headers of withoutToken) {
      expect((await send('POST', '/api/system.info', { body: '{}', headers })).status).toBe(401);
    }
    expect((await send('POST', `/api/system.info?token=${bridge.token}`, { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await send('GET', '/artifacts/1')).status).toBe(401);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/a/../../secret.txt']) {
      const r = await send('GET', path);
      expect(r.body).not.toContain('not for the browser');
    }
  });

  it('streams the Events map as server-sent events', async () => {
    const events = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: { authorization: `Bearer ${bridge.token}` } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('event: job.finished')) {
            req.destroy();
            resolve(text);
          }
        });
        // Once subscribed, start a job whose end the stream must report.
        void call('models.import', JSON.stringify({ path: DEMO_MODEL_FILE }));
      });
      req.on('error', reject);
      req.setTimeout(60_000, () => reject(new Error('no job.finished event within 60 s')));
      req.end();
    });
    expect(events).toMatch(/event: job\.finished\ndata: \{"jobId":1,"status":"succeeded","error":null\}/);
    expect(events).toMatch(/event: log\ndata: \{"jobId":1,"level":"info","message":"imported /);
  }, 90_000);
});
