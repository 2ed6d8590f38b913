/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventMessage, HandlerName } from '../../src-main/common/contract';
import { CONTENT_SECURITY_POLICY, rendererResponse } from '../../src-main/electron/main/app-protocol';
import type { WorkbenchService } from '../../src-main/service/service';
import { HAVE_CHROMIUM, launchChromium } from '../helpers/browser';
import { wireDesktop, willPick, type Desktop } from '../helpers/desktop';
import { FIXTURES, HAVE_FIXTURES, REPO_ROOT } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { openService, removeDir, study, tempDataDir, waitForJob } from '../helpers/workbench';

vi.mock('electron', () => import('../helpers/fake-electron'));

/**
 * The built renderer, unchanged, in Chromium as the desktop app shows it: every response made by
 * the app:// handler (so under its CSP header and the page's meta CSP), and `window.tppw` the
 * preload's transport (test/helpers/desktop.ts, over main's routes to the real service), copied
 * into the page the way the context bridge copies it: functions that answer data, and reject
 * with error data. The page has no HTTP API to fall back on: every call must take the preload.
 */
const ready = HAVE_CHROMIUM && HAVE_FIXTURES;
let dataDir: string;
let service: WorkbenchService;
let desktop: Desktop;
let server: Server;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const pageErrors: string[] = [];

/** window.tppw as the context bridge hands it to the page. */
const BRIDGE = `
(() => {
  const listeners = new Set();
  window.__tppwEvent = (message) => listeners.forEach((l) => l(message));
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.tppw = Object.freeze({
    call: async (name, args) => {
      const result = await window.__tppwCall(name, args);
      if ('error' in result) throw result.error;
      return result.data;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      void window.__tppwSubscribe();
      return () => listeners.delete(listener);
    },
    pickPath: (kind) => window.__tppwPick(kind),
  });
})();
`;

beforeAll(async () => {
  if (!ready) return;
  const site = join(tempDir('tppw-desktop-renderer-'), 'renderer');
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', '--config', join(REPO_ROOT, 'src-renderer', 'vite.config.ts'), '--outDir', site, '--emptyOutDir', '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) throw new Error(`building the renderer failed: ${build.stderr}`);
  dataDir = tempDataDir();
  service = openService(dataDir);
  desktop = wireDesktop(service);
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const response = rendererResponse(`app://workbench${req.url ?? '/'}`, req.method ?? 'GET', site);
    void response.arrayBuffer().then((body) => {
      response.headers.forEach((value, key) => res.setHeader(key, value));
      res.writeHead(response.status);
      res.end(Buffer.from(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await page.exposeFunction('__tppwCall', async (name: HandlerName, args: unknown) => {
    try {
      return { data: await desktop.preload.call(name, args as never) };
    } catch (error) {
      return { error };
    }
  });
  await page.exposeFunction('__tppwPick', (kind: 'file' | 'folder') => desktop.preload.pickPath!(kind));
  let subscribed = false;
  await page.exposeFunction('__tppwSubscribe', () => {
    if (subscribed) return;
    subscribed = true;
    desktop.preload.subscribe((m: EventMessage) => void page.evaluate((message) => (window as unknown as { __tppwEvent: (m: unknown) => void }).__tppwEvent(message), m).catch(() => undefined));
  });
  await page.addInitScript(BRIDGE);
  // Chromium asks for a favicon by itself; an Electron window does not.
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  desktop?.close();
  service?.close();
  if (dataDir) removeDir(dataDir);
});

const violations = (): Promise<string[]> => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

describe.skipIf(!ready)('the renderer in the desktop app', () => {
  it('opens on the preload transport, under the app CSP', async () => {
    const response = await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await page.getByText('No datasets yet').waitFor();
    // the native picker is offered
    await page.getByRole('button', { name: 'Browse…' }).waitFor();
  });

  it('registers a dataset picked in the native dialog, and shows its images', async () => {
    willPick(join(FIXTURES, 'images'));
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => page.getByLabel('Folder or event file').inputValue()).toBe(join(FIXTURES, 'images'));
    await page.getByRole('button', { name: 'Register' }).click();
    const link = page.getByRole('table', { name: 'datasets' }).getByRole('link', { name: 'images' });
    // the list reloads on the job.finished event that came through main and the preload
    await link.waitFor();
    await link.click();
    await page.getByLabel('image samples').locator('canvas').first().waitFor();
    expect(await page.getByLabel('image samples').locator('canvas').count()).toBe(32);
  }, 120_000);

  it('shows a typed path outside what the user chose as the error main answered, kind and all', async () => {
    await page.getByLabel('Folder or event file').fill('/etc');
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('invalid argument: /etc: the desktop app reads only files and folders you choose: use Browse…, the File menu, or drop it on the window (paths inside a registered dataset\'s folder may be typed)');
  });

  it('draws every screen without breaking the CSP or raising an error, and never asks for an HTTP API', async () => {
    willPick(join(FIXTURES, 'models', 'wonnx_opt-mnist.onnx'));
    await page.evaluate(() => (window.location.hash = '#/models'));
    await page.getByRole('button', { name: 'Browse…' }).first().click();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('table', { name: 'models' }).getByRole('link', { name: 'wonnx_opt-mnist.onnx' }).click();
    await page.getByRole('table', { name: 'layers' }).waitFor();
    // an event recording in the viewer (its frames come from a Web Worker) and a finished run's charts
    willPick(join(FIXTURES, 'events', 'tonic_sample_nmnist.bin'));
    await page.evaluate(() => (window.location.hash = '#/datasets'));
    await page.getByRole('button', { name: 'Browse…' }).click();
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('table', { name: 'datasets' }).getByRole('link', { name: 'tonic_sample_nmnist.bin' }).click();
    await expect.poll(async () => Number(await page.getByLabel('event frame').getAttribute('data-drawn')), { timeout: 60_000 }).toBeGreaterThan(0);
    const [images, model] = [(await service.call('datasets.list', {})).find((d) => d.name === 'images')!, (await service.call('models.list', {}))[0]!];
    const job = await service.call('runs.start', { modelId: model.id, datasetId: images.id, study: study({ methods: ['if'], timesteps: [1, 2, 4], maxPool: 'avg' }), limit: 20, calibration: 32, transform: { scale: 1 / 255, offset: 0 } });
    const run = await waitForJob(service, job.id);
    expect(run.status).toBe('succeeded');
    await page.evaluate((h) => (window.location.hash = h), `#/results?runs=${run.result!.conversionId}`);
    await page.getByLabel('accuracy against time steps').locator('.recharts-line').first().waitFor();
    for (const [hash, heading] of [['#/convert', 'Convert'], ['#/runs', 'Runs'], ['#/results', 'Results'], ['#/settings', 'Settings and About']] as const) {
      await page.evaluate((h) => (window.location.hash = h), hash);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    }
    await page.getByText(dataDir).waitFor();
    expect(await violations()).toEqual([]);
    expect(pageErrors.filter((e) => !e.includes('the desktop app reads only'))).toEqual([]);
    expect(requested.filter((u) => u.startsWith('/api'))).toEqual([]);
    // and the policies are in force: an inline style or script is refused (by the header's and the meta policy both)
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { color: red }';
      const script = document.createElement('script');
      script.textContent = 'window.__ran = true';
      document.head.append(style, script);
    });
    await expect.poll(async () => [...new Set(await violations())]).toEqual(['style-src-elem inline', 'script-src-elem inline']);
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
  }, 120_000);
});
