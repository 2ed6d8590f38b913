import type { SensorSize } from '../../common/events';

/**
 * The sensor size a Prophesee '%' header declares, in OpenEB's order of precedence:
 * `% format EVT3;height=720;width=1280`, then `% geometry 1280x720`, then `% Width` / `% Height`
 * (DAT files), then the camera's `% system_ID` (older RAW files name only the camera; table from
 * OpenEB's psee_raw_file_header.cpp).
 */
const SYSTEM_IDS: readonly [readonly number[], SensorSize][] = [
  [[0x15, 0x17, 0x19, 0x1d, 0x21, 0x22, 0x1c, 0x23, 0x29, 0x28], { width: 640, height: 480 }],
  [[0x1a, 0x1f, 0x27, 0x1e, 0x2e, 0x30, 0x31, 0x32], { width: 1280, height: 720 }],
];

export function sensorFromHeader(lines: readonly string[]): SensorSize | undefined {
  const get = (key: string): string | undefined => {
    for (const line of lines) {
      const m = new RegExp(`^\\s*${key}\\s+(.*)$`, 'i').exec(line);
      if (m) return m[1]!.trim();
    }
    return undefined;
  };
  const format = get('format');
  if (format !== undefined) {
    const w = /width=(\d+)/i.exec(format);
    const h = /height=(\d+)/i.exec(format);
    if (w && h) return { width: Number(w[1]), height: Number(h[1]) };
  }
  const geometry = get('geometry');
  const g = geometry === undefined ? null : /^(\d+)\s*x\s*(\d+)/i.exec(geometry);
  if (g) return { width: Number(g[1]), height: Number(g[2]) };
  const width = get('width');
  const height = get('height');
  if (width !== undefined && height !== undefined && /^\d+$/.test(width) && /^\d+$/.test(height)) return { width: Number(width), height: Number(height) };
  const id = Number(get('system_ID'));
  for (const [ids, size] of SYSTEM_IDS) if (ids.includes(id)) return size;
  return undefined;
}

/**
 * The recording's time origin: `% t0 N` (RAW) or `% T0 N` (DAT) in µs, written by faery and
 * neuromorphic-drivers when they store timestamps relative to the first event (faery's
 * read_prophesee_header adds it back). 0 when absent.
 */
export function t0FromHeader(lines: readonly string[]): number {
  for (const line of lines) {
    const m = /^\s*t0\s+(\d+)\s*$/i.exec(line);
    if (m) return Number(m[1]);
  }
  return 0;
}

/** The '%' header this workbench writes for RAW files. */
export function rawHeader(evt: '2.0' | '2.1' | '3.0', sensor: SensorSize): Uint8Array {
  const name = { '2.0': 'EVT2', '2.1': 'EVT21', '3.0': 'EVT3' }[evt];
  const lines = [`% evt ${evt}`, `% format ${name};height=${sensor.height};width=${sensor.width}`, `% geometry ${sensor.width}x${sensor.height}`, '% integrator_name TPP Workbench', '% end'];
  return new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
}
