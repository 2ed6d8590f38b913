import { invalidData } from '../../common/errors';
import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Events stored as numeric arrays rather than a stream format: what CSV/TXT lists, MATLAB files
 * (v5 and v7.3), HDF5 files and NumPy plain arrays hold. Three layouts are read:
 * - one array per column, found by name: x; y; t, ts, timestamp(s), time; p, pol, polarity, on
 *   (ASL-DVS's ts/x/y/pol, DSEC's /events/{x,y,t,p}, Prophesee HDF5's /CD/events fields);
 * - ST-MNIST's `spiketrain`, a 101 × N matrix: rows 0–99 hold each taxel's value at time step j
 *   (−1, 0, +1), row 100 the step's time in seconds; every non-zero entry is an event at
 *   x = taxel mod 10, y = ⌊taxel / 10⌋, ON when positive (tonic's stmnist reader);
 * - one N × 4 matrix whose column roles are inferred (inferColumnRoles).
 */
export interface NamedArray {
  readonly name: string;
  /** The array's shape as stored (HDF5's order; MATLAB's rows × columns). */
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
  /** MATLAB v5 stores matrices column by column; HDF5 (and MATLAB v7.3 as HDF5 sees it) row by row. */
  readonly columnMajor?: boolean;
}

export interface ArrayEvents {
  readonly events: EventColumns;
  readonly sensor: SensorSize | undefined;
  readonly notes: readonly string[];
}

export type ColumnRole = 'x' | 'y' | 't' | 'p';
export type TimeUnit = 's' | 'ms' | 'us';

const ROLE_NAMES: Record<ColumnRole, readonly string[]> = {
  x: ['x', 'col', 'column', 'px', 'addr_x'],
  y: ['y', 'row', 'py', 'addr_y'],
  t: ['t', 'ts', 'time', 'times', 'timestamp', 'timestamps'],
  p: ['p', 'pol', 'polarity', 'on', 'onoff', 'polarities'],
};

/**
 * A column name's role and the time unit it declares: `t`, `ts_us`, `time [s]`, `timestamp(ms)`,
 * faery's `x@346` (the sensor width after the '@'), case and quotes ignored.
 */
export function roleOfName(raw: string): { role: ColumnRole; unit?: TimeUnit; size?: number } | undefined {
  let name = raw.trim().replace(/^["']|["']$/g, '').toLowerCase();
  const at = /^(.*)@(\d+)$/.exec(name);
  const size = at ? Number(at[2]) : undefined;
  if (at) name = at[1]!;
  const unitMatch = /^(.+?)(?:[\s_]+|\s*[([])\s*(us|µs|ms|s|sec|seconds|usec|microseconds)\s*[)\]]?$/.exec(name);
  let unit: TimeUnit | undefined;
  if (unitMatch && ROLE_NAMES.t.includes(unitMatch[1]!)) {
    const u = unitMatch[2]!;
    unit = u === 'ms' ? 'ms' : u === 's' || u === 'sec' || u === 'seconds' ? 's' : 'us';
    name = unitMatch[1]!;
  }
  for (const role of Object.keys(ROLE_NAMES) as ColumnRole[]) {
    if (ROLE_NAMES[role].includes(name)) return { role, ...(unit ? { unit } : {}), ...(size !== undefined ? { size } : {}) };
  }
  return undefined;
}

/**
 * Which of four unnamed columns is which, from their first values: the polarity column holds only
 * 0/1 or −1/1 (the last such column when several do); the timestamp column is the one that never
 * steps back (at most 1% of steps) with the widest range; x and y are the other two, in order.
 * The orders in use — t x y p (the Event Camera Dataset, faery), x y t p (tonic), x y p t — all
 * come out right. Returns a reason instead when no column can be the polarity.
 */
export function inferColumnRoles(columns: readonly ArrayLike<number>[]): Record<ColumnRole, number> | string {
  if (columns.length < 4) return `${columns.length} column(s); events need 4 (x, y, t, p)`;
  const binary = columns.map((c) => isBinary(c));
  const monotone = columns.map((c) => monotoneFraction(c) >= 0.99);
  const range = columns.map((c) => spread(c));
  let t = -1;
  for (let i = 0; i < columns.length; i++) if (!binary[i] && (t < 0 || (monotone[i] && !monotone[t]) || (monotone[i] === monotone[t] && range[i]! > range[t]!))) t = i;
  if (t < 0) return 'every column holds only 0/1 values: no timestamp column';
  let p = -1;
  for (let i = 0; i < columns.length; i++) if (i !== t && binary[i]) p = i;
  if (p < 0) return 'no column holds only 0/1 or −1/1 values: no polarity column';
  const rest = [0, 1, 2, 3, 4, 5, 6, 7].slice(0, columns.length).filter((i) => i !== t && i !== p);
  return { x: rest[0]!, y: rest[1]!, t, p };
}

function isBinary(c: ArrayLike<number>): boolean {
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    if (v !== 0 && v !== 1 && v !== -1) return false;
  }
  return true;
}

function monotoneFraction(c: ArrayLike<number>): number {
  if (c.length < 2) return 1;
  let ok = 0;
  for (let i = 1; i < c.length; i++) if (c[i]! >= c[i - 1]!) ok++;
  return ok / (c.length - 1);
}

function spread(c: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < c.length; i++) {
    if (c[i]! < lo) lo = c[i]!;
    if (c[i]! > hi) hi = c[i]!;
  }
  return hi - lo;
}

/** Whether timestamps with a fractional part should be read as seconds: the Event Camera Dataset's `0.003811`. */
export function looksLikeSeconds(t: ArrayLike<number>): boolean {
  let fractional = false;
  for (let i = 0; i < Math.min(t.length, 1000); i++) if (!Number.isInteger(t[i]!)) fractional = true;
  return fractional;
}

export const UNIT_TO_US: Record<TimeUnit, number> = { s: 1e6, ms: 1e3, us: 1 };

/** Builds event columns from four value arrays (polarity > 0 is ON), scaling time to µs. */
export function columnsFrom(x: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>, p: ArrayLike<number>, timeScale = 1): EventColumns {
  const n = x.length;
  const out = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    out.x[i] = x[i]!;
    out.y[i] = y[i]!;
    out.tUs[i] = timeScale === 1 ? t[i]! : Math.round(t[i]! * timeScale);
    out.p[i] = p[i]! > 0 ? 1 : 0;
  }
  return out;
}

/** The events in a file's arrays (see the layouts above); `where` names the file in errors. */
export function eventsFromArrays(arrays: readonly NamedArray[], where: string): ArrayEvents {
  const notes: string[] = [];
  const byRole = new Map<ColumnRole, { array: NamedArray; unit?: TimeUnit }>();
  for (const array of arrays) {
    const named = roleOfName(array.name);
    if (named !== undefined && !byRole.has(named.role) && isVector(array.shape)) byRole.set(named.role, { array, ...(named.unit ? { unit: named.unit } : {}) });
  }
  if (byRole.size === 4) {
    const [x, y, t, p] = (['x', 'y', 't', 'p'] as const).map((r) => byRole.get(r)!);
    const n = x!.array.values.length;
    if (y!.array.values.length !== n || t!.array.values.length !== n || p!.array.values.length !== n) {
      throw invalidData(`${where}: the event columns differ in length (x ${n}, y ${y!.array.values.length}, t ${t!.array.values.length}, p ${p!.array.values.length})`);
    }
    const scale = timeScale(t!.array.values, t!.unit, notes);
    return { events: columnsFrom(x!.array.values, y!.array.values, t!.array.values, p!.array.values, scale), sensor: undefined, notes };
  }
  const spikes = arrays.find((a) => a.name.toLowerCase() === 'spiketrain');
  if (spikes !== undefined) return { events: spiketrainEvents(spikes, where), sensor: { width: 10, height: 10 }, notes };
  const matrices = arrays.filter((a) => a.shape.length === 2 && (a.shape[0] === 4 || a.shape[1] === 4) && a.values.length > 0);
  const matrix = matrices.find((a) => /^(events?|data|evs)$/i.test(a.name)) ?? (matrices.length === 1 ? matrices[0] : undefined);
  if (matrix !== undefined) return matrixEvents(matrix, where, notes);
  const found = arrays.map((a) => `${a.name} [${a.shape.join('×')}]`).join(', ') || 'nothing';
  throw invalidData(`${where}: no events found: expected x, y, t (ts, timestamp) and p (pol, polarity) arrays, an ST-MNIST spiketrain or one N×4 events matrix (found ${found})`);
}

function isVector(shape: readonly number[]): boolean {
  return shape.filter((d) => d !== 1).length <= 1;
}

function timeScale(t: ArrayLike<number>, unit: TimeUnit | undefined, notes: string[]): number {
  if (unit !== undefined) return UNIT_TO_US[unit];
  if (looksLikeSeconds(t)) {
    notes.push('timestamps have fractional parts: they are read as seconds');
    return 1e6;
  }
  return 1;
}

/** An N × 4 (or 4 × N) matrix: one event per row, column roles inferred from the first 1,000 rows. */
function matrixEvents(a: NamedArray, where: string, notes: string[]): ArrayEvents {
  const [rows, cols] = [a.shape[0]!, a.shape[1]!];
  // one event per row when the rows are the long side (4 × 4 counts as rows of events)
  const eventsAreRows = cols === 4;
  const n = eventsAreRows ? rows : cols;
  // element (event i, column c)
  const at = (i: number, c: number): number => {
    const r = eventsAreRows ? i : c;
    const k = eventsAreRows ? c : i;
    return a.values[a.columnMajor ? k * rows + r : r * cols + k]!;
  };
  const column = (c: number, m: number): Float64Array => Float64Array.from({ length: m }, (_, i) => at(i, c));
  const sample = [0, 1, 2, 3].map((c) => column(c, Math.min(n, 1000)));
  const roles = inferColumnRoles(sample);
  if (typeof roles === 'string') throw invalidData(`${where}: the ${a.shape.join('×')} array '${a.name}' is not an event list: ${roles}`);
  notes.push(`columns of '${a.name}' read as ${(['x', 'y', 't', 'p'] as const).map((r) => `${r} = column ${roles[r]}`).join(', ')}`);
  const full = [0, 1, 2, 3].map((c) => column(c, n));
  const t = full[roles.t]!;
  return { events: columnsFrom(full[roles.x]!, full[roles.y]!, t, full[roles.p]!, timeScale(t, undefined, notes)), sensor: undefined, notes };
}

function spiketrainEvents(a: NamedArray, where: string): EventColumns {
  const [rows, cols] = [a.shape[0]!, a.shape[1]!];
  // MATLAB's 101 × N; HDF5 (v7.3) shows it reversed as N × 101 with the same bytes
  const taxelsFirst = a.columnMajor ? rows === 101 : cols === 101;
  if (!taxelsFirst) throw invalidData(`${where}: spiketrain is ${a.shape.join('×')}; ST-MNIST's is 101 × N (100 taxels and a time row)`);
  const steps = a.columnMajor ? cols : rows;
  const v = a.values;
  let n = 0;
  for (let j = 0; j < steps; j++) for (let k = 0; k < 100; k++) if (v[j * 101 + k] !== 0) n++;
  const out = { x: new Uint16Array(n), y: new Uint16Array(n), tUs: new Float64Array(n), p: new Uint8Array(n) };
  let e = 0;
  for (let j = 0; j < steps; j++) {
    const tUs = Math.trunc(v[j * 101 + 100]! * 1e6);
    for (let k = 0; k < 100; k++) {
      const value = v[j * 101 + k]!;
      if (value === 0) continue;
      out.x[e] = k % 10;
      out.y[e] = Math.floor(k / 10);
      out.tUs[e] = tUs;
      out.p[e] = value > 0 ? 1 : 0;
      e++;
    }
  }
  return out;
}
