import type { Protocol } from 'electron';
import { staticFile } from '../../server/static-files';

/**
 * The renderer is served from `app://workbench/…`, a privileged standard scheme, not `file://`:
 * pages get a real origin of their own, cannot read the disk through file URLs, and every response
 * carries the CSP below. Only the built renderer's folder is served; a path that leaves it is not
 * found (server/static-files.ts, the same code that serves browser mode).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Only the app's own files; no inline scripts or styles, no plugins, no frames, no remote anything (the page's meta CSP says the same). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  // React and recharts set styles through the CSSOM, which CSP does not govern: no inline styles needed.
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

export function serveRenderer(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(request.url, request.method, rendererDir));
}

export function rendererResponse(url: string, method: string, rendererDir: string): Response {
  const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') return new Response(null, { status: 405, headers });
  const parsed = new URL(url);
  const file = parsed.host === APP_HOST ? staticFile(rendererDir, parsed.pathname) : undefined;
  if (file === undefined) return new Response(`not found: ${parsed.pathname}`, { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: { ...headers, 'Content-Type': file.type } });
}
