import { invalidArgument } from '../../common/errors';
import { rawHeader } from './prophesee-header';
import { RawDecoder } from './prophesee-raw';
import type { ArenaColumns } from './arena-columns';
import type { EventColumns, SensorSize } from '../../common/events';

/**
 * Prophesee RAW EVT 2.0 (Metavision documentation, "EVT 2.0 format"): a '%' text header, then
 * little-endian 32-bit words with the type in bits 28–31:
 *   CD_OFF 0x0 / CD_ON 0x1   bits 22–27 timestamp low 6 bits, bits 11–21 x, bits 0–10 y
 *   EVT_TIME_HIGH 0x8        bits 0–27 timestamp bits 6–33
 *   EXT_TRIGGER 0xA, OTHERS 0xE, CONTINUED 0xF: counted and skipped
 * t = (time_high << 6) | low, in µs. Other types are counted as unknown. TIME_HIGH wraps after
 * 2^34 µs (4.8 h): a value below the previous one adds 2^34 (as faery's decoder does). The
 * header's `% t0` is added to every timestamp.
 */
export class Evt2Decoder extends RawDecoder {
  readonly format = 'evt2' as const;
  /** The kernel's state between chunks (slots in event-kernels.wat), kept here: the arena is shared. */
  private readonly state = new Float64Array(8);
  private started = false;

  protected override get usesKernels(): boolean {
    return true;
  }

  protected decodeWords(bytes: Uint8Array, p: number): number {
    const words = Math.floor((bytes.length - p) / 4);
    const input = bytes.byteOffset + p; // (read before reserving: growth detaches the view)
    const arena = this.arena!;
    const s = this.state;
    if (!this.started) {
      s[0] = s[3] = this.t0Us;
      this.started = true;
    }
    const out = this.out as ArenaColumns;
    out.reserve(words);
    const state = new Float64Array(arena.memory().buffer, arena.state, 8);
    state.set(s);
    const at = out.pointers();
    out.length = arena.kernels.evt2(input, words, at.t, at.x, at.y, at.p, out.length, arena.state);
    s.set(state);
    if (s[5]) this.skip('EXT_TRIGGER events', s[5]);
    if (s[6]) this.skip('OTHERS/CONTINUED words', s[6]);
    if (s[7]) this.skip('words of unknown type', s[7]);
    if (out.length > 0 && !s[4]) this.warn('CD events before the first EVT_TIME_HIGH word: their timestamps lack the high bits');
    return words * 4;
  }
}

/** Writes events (in time order) as RAW EVT 2.0: a TIME_HIGH word whenever t >> 6 changes, one CD word per event. */
export function encodeEvt2(events: EventColumns, sensor: SensorSize): Uint8Array {
  const header = rawHeader('2.0', sensor);
  const words: number[] = [];
  let high = -1;
  for (let i = 0; i < events.x.length; i++) {
    const t = events.tUs[i]!;
    if (t < 0 || t >= 2 ** 34) throw invalidArgument(`event ${i}: timestamp ${t} µs is outside EVT 2.0's 34-bit range`);
    const h = Math.floor(t / 64);
    if (h !== high) {
      words.push((0x8 << 28) | (h & 0x0fffffff));
      high = h;
    }
    words.push(((events.p[i]! & 1) << 28) | ((t % 64) << 22) | ((events.x[i]! & 0x7ff) << 11) | (events.y[i]! & 0x7ff));
  }
  const out = new Uint8Array(header.length + 4 * words.length);
  out.set(header);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(header.length + 4 * i, w >>> 0, true));
  return out;
}
