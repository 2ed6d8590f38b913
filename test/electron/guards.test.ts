import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAppUrl, registerAppScheme, rendererResponse } from '../../src-main/electron/main/app-protocol';
import { guardSession, guardWebContents, REMOTE_URL_PATTERNS } from '../../src-main/electron/main/guards';
import { TrustedSenders } from '../../src-main/electron/main/sender';
import { FakeWebContents, ipcEvent, protocol } from '../helpers/fake-electron';
import { tempDir } from '../helpers/temp';

vi.mock('electron', () => import('../helpers/fake-electron'));

/** Emits a cancellable navigation event the way Electron does; true when it was let through. */
function navigate(contents: FakeWebContents, event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): boolean {
  let prevented = false;
  const e = { url, preventDefault: () => (prevented = true) };
  contents.emit(event, e, url);
  return !prevented;
}

describe('navigation and new windows', () => {
  const contents = new FakeWebContents();
  guardWebContents(contents as unknown as WebContents);

  it('stays on the app pages: every other navigation, redirect and frame navigation is cancelled', () => {
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const) {
      expect(navigate(contents, event, 'app://workbench/index.html#/models')).toBe(true);
      for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://elsewhere/index.html', 'javascript:alert(1)', 'data:text/html,<p>', 'not a url']) {
        expect(navigate(contents, event, url), `${event} ${url}`).toBe(false);
      }
    }
  });

  it('opens no windows and attaches no webviews', () => {
    expect(contents.windowOpenHandler?.({ url: 'app://workbench/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('permissions and remote requests', () => {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  let requestFilter: { urls: string[] } | undefined;
  const session = {
    setPermissionRequestHandler: (h: never) => (handlers['request'] = h),
    setPermissionCheckHandler: (h: never) => (handlers['check'] = h),
    setDevicePermissionHandler: (h: never) => (handlers['device'] = h),
    webRequest: {
      onBeforeRequest: (filter: { urls: string[] }, h: never) => {
        requestFilter = filter;
        handlers['beforeRequest'] = h;
      },
    },
  };
  guardSession(session as unknown as Session);

  it('denies every permission a page can ask for', () => {
    const permissions = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'display-capture', 'fileSystem', 'window-management', 'unknown'];
    for (const permission of permissions) {
      const answer = vi.fn();
      (handlers['request'] as (c: unknown, p: string, cb: (granted: boolean) => void) => void)({}, permission, answer);
      expect(answer, permission).toHaveBeenCalledWith(false);
      expect((handlers['check'] as (c: unknown, p: string) => boolean)({}, permission), permission).toBe(false);
    }
    expect((handlers['device'] as () => boolean)()).toBe(false);
  });

  it('cancels every request that would leave the app (http, https, websockets, ftp, file)', () => {
    expect(requestFilter).toEqual({ urls: REMOTE_URL_PATTERNS });
    const answer = vi.fn();
    (handlers['beforeRequest'] as (d: unknown, cb: (r: unknown) => void) => void)({ url: 'https://example.com/' }, answer);
    expect(answer).toHaveBeenCalledWith({ cancel: true });
  });
});

describe('IPC senders', () => {
  it('trusts only the main frame of a window main made, on an app page, until it is destroyed', () => {
    const senders = new TrustedSenders();
    const ours = new FakeWebContents();
    const stranger = new FakeWebContents();
    senders.add(ours as never);
    expect(senders.trusts(ipcEvent(ours) as never)).toBe(true);
    expect(senders.trusts(ipcEvent(stranger) as never)).toBe(false);
    expect(senders.trusts(ipcEvent(ours, { url: 'app://workbench/index.html' }) as never)).toBe(false);
    expect(senders.trusts(ipcEvent(ours, null) as never)).toBe(false);
    ours.mainFrame.url = 'https://example.com/';
    expect(senders.trusts(ipcEvent(ours) as never)).toBe(false);
    ours.mainFrame.url = 'app://workbench/index.html#/runs';
    expect(senders.trusts(ipcEvent(ours) as never)).toBe(true);
    ours.destroy();
    expect(senders.trusts(ipcEvent(ours) as never)).toBe(false);
  });
});

describe('the app:// scheme', () => {
  const dir = tempDir('tppw-site-');
  const site = join(dir, 'renderer');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>tppw</title>');
  mkdirSync(join(site, 'assets'));
  writeFileSync(join(site, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');

  it('is registered as a privileged standard, secure scheme', () => {
    registerAppScheme(protocol as never);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  it('serves the built renderer with a strict CSP on every response', async () => {
    const page = rendererResponse('app://workbench/index.html', 'GET', site);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>tppw</title>');
    const script = rendererResponse('app://workbench/assets/index.js', 'GET', site);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // a hash route's reload lands on index.html
    expect(await rendererResponse('app://workbench/datasets', 'GET', site).text()).toContain('<title>tppw</title>');
  });

  it('allows scripts, styles, images and workers from the app only: no inline or eval scripts, no plugins, frames or remote content', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['worker-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('serves nothing outside the renderer folder, for no other host, and only GET and HEAD', async () => {
    for (const url of ['app://workbench/../secret.txt', 'app://workbench/%2e%2e/secret.txt', 'app://workbench/%2e%2e%2fsecret.txt', 'app://workbench/assets/missing.js']) {
      const response = rendererResponse(url, 'GET', site);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('not for the page');
    }
    expect(rendererResponse('app://other/index.html', 'GET', site).status).toBe(404);
    expect(rendererResponse('app://workbench/index.html', 'POST', site).status).toBe(405);
    expect(await rendererResponse('app://workbench/index.html', 'HEAD', site).text()).toBe('');
  });

  it('tells app pages from everything else', () => {
    expect(isAppUrl('app://workbench/index.html')).toBe(true);
    expect(isAppUrl('app://workbench.evil.com/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
  });
});
