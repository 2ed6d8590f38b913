import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventMessage } from '../common/contract';
import type { ArtifactInfo } from '../common/report/kinds';
import { toErrorData, WorkbenchError, type ErrorData } from '../common/errors';
import { WorkbenchService } from '../service/service';
import { STATUS_OF_KIND } from './http-status';
import { staticFile } from './static-files';

/**
 * The contract over HTTP, for browser mode (`tppw serve`):
 *   POST /api/<handler>   JSON arguments in, `{ data }` or `{ error: { kind, message } }` out
 *   GET  /api/events      the Events map as server-sent events
 *   GET  /artifacts/<id>  an exported file (report, figure, table, network) as a download
 *   GET  /…               the built renderer
 * The API, the events and the downloads take the per-launch token in the Authorization header
 * only (Bearer): never in a cookie, which browsers do not isolate by port (any page on another
 * loopback port would receive it), never in the query. The renderer's files hold nothing secret
 * and are served without it; the page keeps the token it was opened with (`/?token=…`) in its own
 * origin's session storage. No CORS headers are ever sent; the Host header must name this server
 * (against DNS rebinding); bodies over the limit are refused before they are read whole.
 */
export interface BridgeOptions {
  readonly service: WorkbenchService;
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly staticDir?: string;
  readonly maxBodyBytes?: number;
}

export interface Bridge {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const streams = new Set<ServerResponse>();
  let port = options.port;

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (given === undefined) return false;
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  };

  const allowedHost = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    const names = new Set([`${options.host}:${port}`, `[${options.host}]:${port}`]);
    if (isLoopback(options.host)) for (const n of ['localhost', '127.0.0.1', '[::1]']) names.add(`${n}:${port}`);
    return names.has(host.toLowerCase()) || !isLoopback(options.host);
  };

  const server = createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const url = new URL(req.url ?? '/', 'http://bridge');
    if (!allowedHost(req)) return sendError(res, 403, { kind: 'unauthorized', message: `Host '${req.headers.host ?? ''}' is not this server` });
    const guarded = url.pathname.startsWith('/api/') || url.pathname.startsWith('/artifacts/');
    if (guarded && !authorized(req)) return sendError(res, 401, { kind: 'unauthorized', message: 'missing or wrong token (Authorization: Bearer): open the URL tppw serve printed' });
    if (url.pathname.startsWith('/api/')) return void api(req, res, url);
    if (url.pathname.startsWith('/artifacts/')) return download(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { kind: 'invalid_argument', message: `${req.method} is not allowed here` });
    const file = options.staticDir ? staticFile(options.staticDir, url.pathname) : undefined;
    if (file === undefined) {
      if (url.pathname === '/') return sendText(res, 200, 'TPP Workbench service is running; the renderer is not built (npm run build:renderer).\n');
      return sendError(res, 404, { kind: 'not_found', message: `no file ${url.pathname}` });
    }
    if (file.type.startsWith('text/html')) res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'");
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const name = url.pathname.slice('/api/'.length);
    if (name === 'events') {
      if (req.method !== 'GET') return sendError(res, 405, { kind: 'invalid_argument', message: 'events: use GET' });
      return openEventStream(req, res);
    }
    if (req.method !== 'POST') return sendError(res, 405, { kind: 'invalid_argument', message: `${name}: use POST with JSON arguments` });
    if (!WorkbenchService.isHandler(name)) return sendError(res, 404, { kind: 'not_found', message: `there is no handler '${name}'` });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return sendError(res, 415, { kind: 'invalid_argument', message: `${name}: send Content-Type application/json` });
    let args: unknown;
    try {
      args = await readJson(req, maxBody);
    } catch (error) {
      const data = toErrorData(error);
      return sendError(res, (error as { status?: number }).status ?? 400, data);
    }
    try {
      const data = await options.service.call(name, args);
      sendJson(res, 200, { data });
    } catch (error) {
      const data = toErrorData(error);
      // Internal errors keep their message but never a stack.
      sendError(res, STATUS_OF_KIND[data.kind], data);
    }
  };

  /** GET /artifacts/<id>: an exported file's bytes, as a download (never rendered in the page's origin). */
  const download = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { kind: 'invalid_argument', message: 'artifacts: use GET' });
    const id = Number(url.pathname.slice('/artifacts/'.length));
    if (!Number.isInteger(id) || id <= 0) return sendError(res, 404, { kind: 'not_found', message: `no artifact ${url.pathname.slice('/artifacts/'.length)}` });
    let file: { info: ArtifactInfo; path: string };
    try {
      file = options.service.artifactFile(id);
    } catch (error) {
      const data = toErrorData(error);
      return sendError(res, STATUS_OF_KIND[data.kind], data);
    }
    const size = statSync(file.path).size;
    res.writeHead(200, {
      'Content-Type': file.info.mediaType,
      'Content-Length': size,
      'Content-Disposition': `attachment; filename="${file.info.fileName.replace(/[^\w.-]/g, '_')}"`,
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file.path).pipe(res);
  };

  const openEventStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': tppw events\n\n');
    streams.add(res);
    const unsubscribe = options.service.on((m: EventMessage) => res.write(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new WorkbenchError('io', error.code === 'EADDRINUSE' ? `port ${options.port} on ${options.host} is in use: pass another --port` : `cannot listen on ${options.host}:${options.port}: ${error.message}`)),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}

function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const tooLarge = (): Error => Object.assign(new WorkbenchError('invalid_argument', `request body over the ${limit}-byte limit`), { status: 413 });
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new WorkbenchError('invalid_argument', `request body is not valid JSON (${(error as Error).message})`));
      }
    });
    req.on('error', (error) => reject(new WorkbenchError('io', `reading the request failed: ${error.message}`)));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: ErrorData): void {
  sendJson(res, status, { error: { kind: error.kind, message: error.message } });
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
