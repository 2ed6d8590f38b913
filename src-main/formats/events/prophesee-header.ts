import type { SensorSize } from './types';

/**
 * Prophesee '%' header keys that carry the sensor size: `% format EVT3;height=720;width=1280`
 * (recent files), `% geometry 1280x720`, `% Width 304` / `% Height 240` (DAT), or a known sensor
 * generation in `% plugin_name` / `% sensor_generation` (older RAW files name only the camera).
 */
const PLUGIN_SENSORS: readonly [RegExp, SensorSize][] = [
  [/gen41|imx636|evk4/i, { width: 1280, height: 720 }],
  [/gen31|gen3[^.0-9]|gen3$|_gen3_|evk3/i, { width: 640, height: 480 }],
  [/imx8/i, { width: 320, height: 320 }],
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
  const plugin = `${get('plugin_name') ?? ''} ${get('sensor_generation') ?? ''}`;
  for (const [pattern, size] of PLUGIN_SENSORS) if (pattern.test(plugin)) return size;
  return undefined;
}
