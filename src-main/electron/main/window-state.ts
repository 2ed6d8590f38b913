import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the window was and how large, kept in a small JSON file between launches. A saved place
 * that no display shows any more (a monitor unplugged) falls back to the default size, centred.
 */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Partial<Pick<Rect, 'x' | 'y'>> & Pick<Rect, 'width' | 'height'>;
  readonly maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { bounds: { width: 1280, height: 860 }, maximized: false };
/** At least this much of the window must lie on a display for the saved place to be used. */
const VISIBLE_PX = 100;

export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return DEFAULT_STATE;
  }
  const s = saved as { bounds?: Partial<Rect>; maximized?: unknown } | null;
  const b = s?.bounds;
  if (!b || ![b.x, b.y, b.width, b.height].every((v) => typeof v === 'number' && Number.isFinite(v))) return DEFAULT_STATE;
  const bounds = { x: Math.round(b.x!), y: Math.round(b.y!), width: Math.max(400, Math.round(b.width!)), height: Math.max(300, Math.round(b.height!)) };
  const maximized = s.maximized === true;
  return workAreas.some((area) => overlap(bounds, area) >= VISIBLE_PX) ? { bounds, maximized } : { bounds: DEFAULT_STATE.bounds, maximized };
}

export function saveWindowState(file: string, state: { bounds: Rect; maximized: boolean }): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  } catch {
    // A window position that cannot be saved is not worth an error at quit.
  }
}

/** The smaller side of the intersection of two rectangles, 0 when they do not meet. */
function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? Math.min(w, h) : 0;
}
