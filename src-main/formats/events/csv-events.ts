import { ChunkedDecoder } from './chunked-decoder';
import { UNIT_TO_US, inferColumnRoles, looksLikeSeconds, roleOfName, type ColumnRole, type TimeUnit } from './event-arrays';

/**
 * CSV and TXT event lists: one event per line, fields separated by commas, semicolons, tabs or
 * spaces (the first line settles which), x, y, t and p in any column order.
 * - With a header line (any field that is not a number), columns are found by name (see
 *   roleOfName: `t,x,y,on` from faery, whose `x@346` carries the sensor width; `timestamp`,
 *   `polarity`, …); a name may declare the time unit (`t_s`, `time [ms]`).
 * - Without one, the roles are inferred from the first lines (inferColumnRoles), as for the
 *   Event Camera Dataset's `events.txt` (t x y p, t in seconds).
 * Timestamps with a fractional part and no declared unit are seconds; polarity > 0 is ON
 * (0/1 and −1/1 both work; `true`/`false` too). Lines starting with '#' or '%' are comments.
 */
const SAMPLE_LINES = 1000;

interface Layout {
  readonly separator: RegExp;
  readonly roles: Record<ColumnRole, number>;
  readonly scale: number;
  readonly fields: number;
}

export class CsvEventDecoder extends ChunkedDecoder {
  readonly format = 'csv' as const;
  private layout: Layout | undefined;
  private line = 0;
  private headerSkipped = false;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    // whole lines only; the last one without '\n' at the end of the file
    let end = bytes.lastIndexOf(0x0a) + 1;
    if (atEnd) end = bytes.length;
    if (end === 0) {
      if (bytes.length > 1 << 20) throw this.error(this.base, 'no line end in the first MB: not a text event list');
      return 0;
    }
    const text = latin1(bytes.subarray(0, end));
    const lines = text.split('\n');
    if (this.layout === undefined) {
      const data = lines.filter((l) => !isComment(l));
      if (data.length < SAMPLE_LINES + 1 && !atEnd) return 0; // more lines to settle the layout
      this.layout = this.settle(data);
    }
    const { separator, roles, scale, fields } = this.layout;
    const out = this.out;
    out.reserve(lines.length);
    const { x, y, tUs, p } = out;
    let k = out.length;
    let bad = 0;
    for (const raw of lines) {
      this.line++;
      if (isComment(raw)) continue;
      if (!this.headerSkipped) {
        this.headerSkipped = true;
        if (isHeader(raw, separator)) continue;
      }
      const f = raw.trim().split(separator);
      if (f.length < fields) {
        bad++;
        if (bad <= 3) this.warn(`line ${this.line}: ${f.length} field(s), ${fields} expected — skipped`);
        continue;
      }
      const vx = Number(f[roles.x]);
      const vy = Number(f[roles.y]);
      const vt = Number(f[roles.t]);
      const vp = polarity(f[roles.p]!);
      if (!Number.isFinite(vx) || !Number.isFinite(vy) || !Number.isFinite(vt) || Number.isNaN(vp) || vx < 0 || vy < 0 || vx > 65535 || vy > 65535) {
        bad++;
        if (bad <= 3) this.warn(`line ${this.line}: '${raw.trim().slice(0, 60)}' is not an event — skipped`);
        continue;
      }
      x[k] = vx;
      y[k] = vy;
      tUs[k] = scale === 1 ? vt : Math.round(vt * scale);
      p[k] = vp > 0 ? 1 : 0;
      k++;
    }
    // the split leaves one empty piece after the final '\n'; it is not a line
    if (lines[lines.length - 1] === '') this.line--;
    out.length = k;
    if (bad > 0) this.skip('lines that are not events', bad);
    return end;
  }

  /** The separator, column roles and time unit, from the header or the first lines. */
  private settle(lines: readonly string[]): Layout {
    const first = lines[0];
    if (first === undefined) throw this.error(this.base, 'the file holds no lines');
    const separator = first.includes(',') ? /\s*,\s*/ : first.includes(';') ? /\s*;\s*/ : first.includes('\t') ? /\t/ : /\s+/;
    if (isHeader(first, separator)) {
      const names = first.trim().split(separator);
      const roles: Partial<Record<ColumnRole, number>> = {};
      let unit: TimeUnit | undefined;
      let width: number | undefined;
      let height: number | undefined;
      names.forEach((name, i) => {
        const r = roleOfName(name);
        if (r === undefined || roles[r.role] !== undefined) return;
        roles[r.role] = i;
        if (r.role === 't' && r.unit) unit = r.unit;
        if (r.role === 'x' && r.size) width = r.size;
        if (r.role === 'y' && r.size) height = r.size;
      });
      const missing = (['x', 'y', 't', 'p'] as const).filter((r) => roles[r] === undefined);
      if (missing.length > 0) throw this.error(this.base, `the header '${first.trim().slice(0, 80)}' names no ${missing.join(', ')} column`);
      if (width !== undefined && height !== undefined) this.size = { width, height };
      const full = roles as Record<ColumnRole, number>;
      const scale = unit !== undefined ? UNIT_TO_US[unit] : this.secondsIfFractional(lines.slice(1, SAMPLE_LINES + 1), separator, full.t);
      return { separator, roles: full, scale, fields: Math.max(...Object.values(full)) + 1 };
    }
    const rows = lines.slice(0, SAMPLE_LINES).map((l) => l.trim().split(separator).map(Number)).filter((r) => r.every(Number.isFinite));
    const width = rows[0]?.length ?? 0;
    const columns = Array.from({ length: Math.min(width, 4) }, (_, c) => rows.map((r) => r[c]!));
    const roles = inferColumnRoles(columns);
    if (typeof roles === 'string') throw this.error(this.base, `not an event list: ${roles}`);
    this.warn(`no header line: columns read as ${(['x', 'y', 't', 'p'] as const).map((r) => `${r} = field ${roles[r] + 1}`).join(', ')}`);
    return { separator, roles, scale: this.secondsIfFractional(lines.slice(0, SAMPLE_LINES), separator, roles.t), fields: 4 };
  }

  private secondsIfFractional(lines: readonly string[], separator: RegExp, t: number): number {
    if (!looksLikeSeconds(lines.map((l) => Number(l.trim().split(separator)[t])).filter(Number.isFinite))) return 1;
    this.warn('timestamps have fractional parts and no unit in the header: they are read as seconds');
    return 1e6;
  }
}

function isComment(line: string): boolean {
  const s = line.trimStart();
  return s === '' || s.startsWith('#') || s.startsWith('%');
}

function isHeader(line: string, separator: RegExp): boolean {
  return line.trim().split(separator).some((f) => f !== '' && Number.isNaN(Number(f)) && Number.isNaN(polarity(f)));
}

function polarity(f: string): number {
  if (f === 'true' || f === 'True') return 1;
  if (f === 'false' || f === 'False') return 0;
  return f === '' ? NaN : Number(f);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
