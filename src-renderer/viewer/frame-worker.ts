/// <reference lib="webworker" />
import { renderWindow, type ColorMode, type ViewerEvents } from './frames';

/**
 * Draws viewer frames off the UI thread. The events arrive once (transferred); each frame request
 * gets an RGBA buffer back, transferred too, so playback never copies the recording.
 */
export type ToFrameWorker =
  | { readonly kind: 'load'; readonly events: ViewerEvents; readonly width: number; readonly height: number }
  | { readonly kind: 'frame'; readonly id: number; readonly endUs: number; readonly windowUs: number; readonly mode: ColorMode };

export type FromFrameWorker = { readonly kind: 'frame'; readonly id: number; readonly pixels: Uint8ClampedArray; readonly drawn: number };

let events: ViewerEvents | undefined;
let size = { width: 0, height: 0 };

self.onmessage = (e: MessageEvent<ToFrameWorker>) => {
  const m = e.data;
  if (m.kind === 'load') {
    events = m.events;
    size = { width: m.width, height: m.height };
    return;
  }
  if (events === undefined) return;
  const pixels = new Uint8ClampedArray(size.width * size.height * 4);
  const drawn = renderWindow(events, size.width, size.height, m.endUs, m.windowUs, m.mode, pixels);
  (self as unknown as Worker).postMessage({ kind: 'frame', id: m.id, pixels, drawn } satisfies FromFrameWorker, [pixels.buffer]);
};
