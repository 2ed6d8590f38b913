import { invalidData } from '../../common/errors';
import { readMat5 } from '../arrays/mat5';
import { ChunkedDecoder } from './chunked-decoder';
import { eventsFromArrays } from './event-arrays';

/**
 * MATLAB v5/v7 MAT-files of events (ASL-DVS's ts/x/y/pol vectors, ST-MNIST's spiketrain, one N×4
 * matrix; see event-arrays.ts). A MAT-file's variables are whole (often zlib-compressed) blocks,
 * so the file is gathered and decoded at its end: such files hold one sample each and are small.
 * Files over MAX_BYTES are refused rather than held.
 */
const MAX_BYTES = 1 << 30;

export class MatEventDecoder extends ChunkedDecoder {
  readonly format = 'mat' as const;
  private readonly parts: Uint8Array[] = [];
  private held = 0;

  override push(chunk: Uint8Array): undefined {
    this.held += chunk.length;
    if (this.held > MAX_BYTES) throw this.error(this.held, `a MAT-file over ${MAX_BYTES / 2 ** 20} MB is not read (its variables are decoded whole)`);
    this.parts.push(chunk.slice());
    return undefined;
  }

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    if (!atEnd) return 0;
    const whole = new Uint8Array(this.held + bytes.length);
    let at = 0;
    for (const part of this.parts) {
      whole.set(part, at);
      at += part.length;
    }
    whole.set(bytes, at);
    this.parts.length = 0;
    const variables = readMat5(whole, this.source);
    const arrays = variables.filter((v) => v.values !== undefined).map((v) => ({ name: v.name, shape: v.dims, values: v.values!, columnMajor: true }));
    if (arrays.length === 0) throw invalidData(`${this.source}: the MAT-file holds no numeric variables (found ${variables.map((v) => `${v.name} (${v.className})`).join(', ') || 'none'})`);
    const { events, sensor, notes } = eventsFromArrays(arrays, this.source);
    for (const note of notes) this.warn(note);
    if (sensor !== undefined) this.size = sensor;
    this.out.append(events);
    return bytes.length;
  }
}
