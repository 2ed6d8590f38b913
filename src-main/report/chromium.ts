import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkbenchError } from '../common/errors';

/**
 * PDF and PNG through headless Chromium, the system's own (Debian's `chromium`), started once per
 * file with a fresh profile, no network and no GPU: `--print-to-pdf` keeps text selectable and
 * SVG charts vector; `--screenshot` rasterises a figure at twice its size. The desktop app will
 * print with Electron's printToPDF instead.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
const TIME_LIMIT_MS = 60_000;

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const asked = env['TPPW_CHROMIUM'];
  if (asked) return existsSync(asked) ? asked : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

function chromiumOrExplain(what: string): string {
  const found = findChromium();
  if (found !== undefined) return found;
  const asked = process.env['TPPW_CHROMIUM'];
  throw new WorkbenchError(
    'unsupported',
    `${what} needs Chromium, and ${asked ? `TPPW_CHROMIUM=${asked} does not exist` : `none was found (${CANDIDATES.slice(0, 3).join(', ')})`}: install it (Debian/Ubuntu: apt-get install -y chromium) or point TPPW_CHROMIUM at a Chrome or Chromium binary; HTML, SVG, CSV and JSON exports work without it`,
  );
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-extensions', '--mute-audio', '--hide-scrollbars'];

async function runChromium(what: string, html: string, output: string, flags: readonly string[]): Promise<Uint8Array> {
  const binary = chromiumOrExplain(what);
  const dir = mkdtempSync(join(tmpdir(), 'tppw-chromium-'));
  try {
    const page = join(dir, 'page.html');
    const out = join(dir, output);
    writeFileSync(page, html);
    const args = [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, ...flags.map((f) => f.replace('{out}', out)), pathToFileURL(page).href];
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new WorkbenchError('io', `${what}: cannot start ${binary} (${error.message})`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(err);
        else reject(new WorkbenchError('io', `${what}: ${binary} ${signal === 'SIGKILL' ? `did not finish within ${TIME_LIMIT_MS / 1000} s` : `exited with ${code}`} (${lastError(err)})`));
      });
    });
    if (!existsSync(out)) throw new WorkbenchError('io', `${what}: ${binary} wrote no file (${lastError(stderr)})`);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of Chromium's log that is not about D-Bus (always absent in containers). */
function lastError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !/dbus|DBus/.test(l));
  return lines[lines.length - 1]?.replace(/^\[[^\]]*\]\s*/, '') ?? 'no message';
}

export function printToPdf(html: string): Promise<Uint8Array> {
  return runChromium('a PDF report', html, 'report.pdf', ['--no-pdf-header-footer', '--print-to-pdf={out}']);
}

export function screenshotPng(html: string, width: number, height: number, scale = 2): Promise<Uint8Array> {
  return runChromium('a PNG figure', html, 'figure.png', [`--window-size=${width},${height}`, `--force-device-scale-factor=${scale}`, '--screenshot={out}']);
}
