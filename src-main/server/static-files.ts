import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The built renderer, served read-only; a path that leaves its folder is not found. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function staticFile(root: string, urlPath: string): { body: Buffer; type: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const path = resolve(base, `.${sep}${normalize(decoded === '/' ? '/index.html' : decoded)}`);
  if (path !== base && !path.startsWith(`${base}${sep}`)) return undefined;
  const file = existsSync(path) && statSync(path).isFile() ? path : extname(decoded) === '' ? join(base, 'index.html') : undefined;
  if (file === undefined || !existsSync(file)) return undefined;
  return { body: readFileSync(file), type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}
