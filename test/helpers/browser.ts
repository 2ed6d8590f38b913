import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './fixtures';

/**
 * The GUI in a real browser: Debian's chromium driven by playwright-core (flags from TOOLING.md),
 * against `tppw serve` on a data directory. Tests skip, saying why, where chromium is missing
 * (.ci/run installs it).
 */
export const CHROMIUM = process.env['TPPW_CHROMIUM'] ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SCREENSHOTS = join(REPO_ROOT, 'out', 'screenshots');

if (!HAVE_CHROMIUM) console.warn(`chromium not found at ${CHROMIUM}: the browser tests are skipped (apt-get install -y chromium)`);

/** `npm run build:renderer`, in its own process: a production build (the test runner sets NODE_ENV=test). */
export function buildRenderer(): void {
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', join(REPO_ROOT, 'src-renderer', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`building the renderer failed: ${run.stderr}`);
}

/** A fresh profile each launch (playwright makes a temporary one). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Server {
  readonly url: string;
  readonly origin: string;
  stop(): void;
}

/** Starts `tppw serve --port 0` and resolves with the URL it prints. */
export function startServe(dataDir: string, roots: readonly string[]): Promise<Server> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main', 'cli', 'main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--root', roots.join(':')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /http:\/\/\S+/.exec(out);
      if (m) {
        const url = m[0];
        resolve({ url, origin: new URL(url).origin, stop: () => child.kill('SIGTERM') });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code) => reject(new Error(`tppw serve exited with ${code}: ${err}`)));
  });
}
