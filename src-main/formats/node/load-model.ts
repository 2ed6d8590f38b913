import { invalidData } from '../../common/errors';
import type { ModelFile } from '../model/tppw-model';
import { decodeModel, isTppwModel } from '../model/tppw-model';
import { readBytes } from './files';

/** Reads a model file of any supported format, chosen by content (the extension is only a hint). */
export function loadModelFile(path: string): ModelFile {
  const bytes = readBytes(path, 'model file');
  if (isTppwModel(bytes)) return decodeModel(bytes, path);
  throw invalidData(`${path}: not a model file this build reads (supported: TPP Workbench .tppw)`);
}
