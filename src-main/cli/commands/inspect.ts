import { invalidArgument } from '../../common/errors';
import { basename } from 'node:path';
import { detectEventFormat } from '../../formats/events/detect';
import { EventStats } from '../../formats/events/stats';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { fileError } from '../../formats/node/files';
import { readHdf5Events } from '../../formats/node/hdf5-events';
import { streamEventFile, type StreamedFile } from '../../formats/node/read-events';
import { Options, parseArgs } from '../args';

export const INSPECT_USAGE = `tppw inspect FILE [--json]   an event file's format, sensor, event count, time span, ON/OFF
                              balance, event rate and what the decoder skipped`;

/** HDF5 files (MATLAB v7.3 included) are read whole in the HDF5 worker, not streamed. */
function isHdf5(path: string): boolean {
  const head = new Uint8Array(512);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  try {
    return detectEventFormat(head.subarray(0, n), basename(path)) === 'hdf5';
  } catch {
    return false;
  }
}

async function inspectHdf5(path: string, done: (stats: EventStats) => void): Promise<StreamedFile> {
  const { events, sensor, notes } = await readHdf5Events(path);
  const stats = new EventStats(sensor);
  stats.add(events);
  done(stats);
  return { format: 'hdf5', sensor, skipped: {}, warnings: notes, bytes: statSync(path).size, complete: true };
}

export async function inspectCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, { json: 'flag' }, 'inspect');
  if (parsed.positionals.length !== 1) throw invalidArgument(`inspect: expects one event FILE, got ${parsed.positionals.length}`);
  const path = parsed.positionals[0]!;
  try {
    if (statSync(path).isDirectory()) throw invalidArgument(`inspect: event file ${path} is a directory, not a file`);
    closeSync(openSync(path, 'r'));
  } catch (error) {
    throw fileError(error, path, 'event file');
  }
  const started = performance.now();
  // The decoder has read the header, and knows the declared sensor, before it returns events.
  let stats: EventStats | undefined;
  const info = isHdf5(path) ? await inspectHdf5(path, (s) => (stats = s)) : streamEventFile(path, (e, sensor) => {
    stats ??= new EventStats(sensor);
    stats.add(e);
  }, { transient: true });
  const s = (stats ?? new EventStats(info.sensor)).summary();
  const sensor = info.sensor
    ? { ...info.sensor, source: 'header' }
    : s.xRange && s.yRange ? { width: s.xRange[1] + 1, height: s.yRange[1] + 1, source: 'inferred from the largest coordinates' } : null;
  const report = { file: path, format: info.format, sensor, ...s, skipped: info.skipped, warnings: info.warnings, bytes: info.bytes, decodeMs: Math.round(performance.now() - started) };
  if (new Options(parsed, 'inspect').flag('json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const fmt = (n: number | null): string => (n === null ? '-' : n.toLocaleString('en-US'));
  const lines = [
    `file      ${path}`,
    `format    ${info.format}`,
    `sensor    ${sensor ? `${sensor.width} × ${sensor.height} (${sensor.source})` : 'unknown (no events)'}`,
    `events    ${fmt(s.events)} (ON ${fmt(s.on)}, OFF ${fmt(s.off)})`,
    `time      ${fmt(s.firstTUs)} … ${fmt(s.lastTUs)} µs (duration ${(s.durationUs / 1e6).toFixed(6)} s)`,
    `rate      ${(s.eventRateHz / 1e6).toFixed(3)} M events/s`,
    `x, y      ${s.xRange ? `${s.xRange[0]}…${s.xRange[1]}` : '-'}, ${s.yRange ? `${s.yRange[0]}…${s.yRange[1]}` : '-'}`,
  ];
  if (s.timeReversals > 0) lines.push(`warning   ${fmt(s.timeReversals)} events are earlier than the event before them`);
  if (s.outsideSensor > 0) lines.push(`warning   ${fmt(s.outsideSensor)} events lie outside the declared sensor`);
  for (const [kind, n] of Object.entries(info.skipped)) lines.push(`skipped   ${fmt(n)} ${kind}`);
  for (const w of info.warnings) lines.push(`warning   ${w}`);
  lines.push(`decoded   ${(info.bytes / 2 ** 20).toFixed(1)} MB in ${report.decodeMs} ms`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
