import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decompress as lz4js } from 'lz4js';
import { describe, expect, it } from 'vitest';
import { decompressLz4Frame } from '../../../src-main/formats/compression/lz4';
import { parseInfoNode } from '../../../src-main/formats/events/aedat4';
import { decodeFile } from '../../helpers/events';
import { HAVE_FIXTURES, REPO_ROOT, fixture } from '../../helpers/fixtures';
import { readNpy } from '../../helpers/models';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'events');

describe('AEDAT 4.0', () => {
  for (const compression of ['none', 'lz4', 'zstd']) {
    it(`decodes ${compression} packets to the events that were written (flatbuffers + ${compression})`, () => {
      const { events, info } = decodeFile(join(DIR, `synthetic_${compression}.aedat4`));
      const ref = readNpy(join(DIR, 'aedat4_reference.npy'));
      const n = 6000;
      expect(info.sensor).toEqual({ width: 346, height: 260 });
      expect(info.skipped).toEqual({ 'IMUS packets': 6 });
      expect(Array.from(events.x)).toEqual(Array.from(ref.data.subarray(0, n)));
      expect(Array.from(events.y)).toEqual(Array.from(ref.data.subarray(n, 2 * n)));
      expect(Array.from(events.tUs, (t) => t - 1_700_000_000_000_000)).toEqual(Array.from(ref.data.subarray(2 * n, 3 * n)));
      expect(Array.from(events.p)).toEqual(Array.from(ref.data.subarray(3 * n, 4 * n)));
    });
  }

  it('reads stream types and sensor sizes from the info XML', () => {
    const streams = parseInfoNode('<dv version="2.0"><node name="outInfo" path="/o/"><node name="3" path="/o/3/"><attr key="typeIdentifier" type="string">TRIG</attr></node><node name="0" path="/o/0/"><attr key="typeIdentifier" type="string">EVTS</attr><node name="info" path="/o/0/info/"><attr key="sizeX" type="int">640</attr><attr key="sizeY" type="int">480</attr></node></node></node></dv>');
    expect([...streams.values()]).toEqual([{ id: 3, type: 'TRIG' }, { id: 0, type: 'EVTS', width: 640, height: 480 }]);
  });

  it.skipIf(!HAVE_FIXTURES)('the built-in LZ4 decoder (reused output buffer, wild copies) agrees with lz4js on every packet of the real sample', () => {
    const bytes = new Uint8Array(readFileSync(fixture('events/tonic_sample.aedat4')));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    let p = 18 + view.getUint32(14, true);
    let packets = 0;
    while (p + 8 <= 945243) {
      const size = view.getInt32(p + 4, true);
      const payload = bytes.subarray(p + 8, p + 8 + size);
      expect(Buffer.compare(Buffer.from(decompressLz4Frame(payload)), Buffer.from(lz4js(payload)))).toBe(0);
      p += 8 + size;
      packets++;
    }
    expect(packets).toBe(118);
  });
});
