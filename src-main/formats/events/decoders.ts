import { unsupported } from '../../common/errors';
import { DatDecoder } from './prophesee-dat';
import { Evt2Decoder } from './prophesee-evt2';
import { Evt3Decoder } from './prophesee-evt3';
import { NmnistBinDecoder } from './nmnist-bin';
import { NpyEventDecoder } from './npy-events';
import type { EventDecoder, EventFormat } from './types';

/** The incremental decoder for a format; `source` names the file in errors. */
export function createDecoder(format: EventFormat, source: string): EventDecoder {
  switch (format) {
    case 'nmnist-bin':
      return new NmnistBinDecoder(source);
    case 'dat':
      return new DatDecoder(source);
    case 'evt2':
      return new Evt2Decoder(source);
    case 'evt3':
      return new Evt3Decoder(source);
    case 'npy':
      return new NpyEventDecoder(source);
    default:
      throw unsupported(`${source}: ${format} files are not decoded yet`);
  }
}
