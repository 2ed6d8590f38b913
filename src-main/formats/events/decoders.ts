import { unsupported } from '../../common/errors';
import { Aedat2Decoder } from './aedat2';
import { Aedat31Decoder } from './aedat3';
import { Aedat4Decoder } from './aedat4';
import { CsvEventDecoder } from './csv-events';
import { EventStreamDecoder } from './event-stream';
import { MatEventDecoder } from './mat-events';
import { NmnistBinDecoder } from './nmnist-bin';
import { NpyEventDecoder } from './npy-events';
import { DatDecoder } from './prophesee-dat';
import { Evt21Decoder } from './prophesee-evt21';
import { Evt2Decoder } from './prophesee-evt2';
import { Evt3Decoder } from './prophesee-evt3';
import type { EventDecoder, EventFormat } from './types';

/** The incremental decoder for a format; `source` names the file in errors. */
export function createDecoder(format: EventFormat, source: string): EventDecoder {
  switch (format) {
    case 'aedat1':
      return new Aedat2Decoder(source, 1);
    case 'aedat2':
      return new Aedat2Decoder(source);
    case 'aedat3.1':
      return new Aedat31Decoder(source);
    case 'aedat4':
      return new Aedat4Decoder(source);
    case 'evt2':
      return new Evt2Decoder(source);
    case 'evt2.1':
      return new Evt21Decoder(source);
    case 'evt3':
      return new Evt3Decoder(source);
    case 'dat':
      return new DatDecoder(source);
    case 'nmnist-bin':
      return new NmnistBinDecoder(source);
    case 'npy':
      return new NpyEventDecoder(source);
    case 'es':
      return new EventStreamDecoder(source);
    case 'csv':
      return new CsvEventDecoder(source);
    case 'mat':
      return new MatEventDecoder(source);
    case 'hdf5':
      throw unsupported(`${source}: HDF5 event files (MATLAB v7.3 included) are read with readHdf5Events (they are not streamed)`);
    default: {
      const never: never = format;
      return never;
    }
  }
}
