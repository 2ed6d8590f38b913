import { ChunkedDecoder, readTextHeader } from './chunked-decoder';
import { sensorFromHeader, t0FromHeader } from './prophesee-header';

/**
 * What the Prophesee RAW decoders (EVT 2.0, 2.1, 3.0) share: the '%' text header, read once, which
 * declares the sensor; a subclass decodes the words after it.
 */
export abstract class RawDecoder extends ChunkedDecoder {
  private headerDone = false;
  /** Added to every timestamp: the header's `% t0` (see t0FromHeader). */
  protected t0Us = 0;

  protected decode(bytes: Uint8Array, atEnd: boolean): number {
    let p = 0;
    if (!this.headerDone) {
      const header = readTextHeader(bytes, 0x25, atEnd);
      if (header === undefined) return 0;
      this.size = sensorFromHeader(header.lines);
      this.t0Us = t0FromHeader(header.lines);
      this.readHeader(header.lines);
      this.headerDone = true;
      p = header.length;
    }
    return p + this.decodeWords(bytes, p);
  }

  /** Header keys a format needs beyond the sensor (EVT 2.1's byte order). */
  protected readHeader(_lines: readonly string[]): void {}

  /** Decodes the whole words in bytes[p…]; returns how many bytes they take. */
  protected abstract decodeWords(bytes: Uint8Array, p: number): number;
}
