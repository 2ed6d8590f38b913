import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { isGroup, type H5Dataset, type H5Group } from '../model/nir/tree';
import { nirToModel } from '../model/nir/to-ir';
import type { ModelFile } from '../model/tppw-model';
import { readInH5Worker } from './h5-reader';

/**
 * NIR files (HDF5) through h5wasm: writing a tree the NIR exporter built (in this thread: the
 * data is our own, so HDF5 cannot meet a corrupt file here), reading one through the HDF5 worker
 * (with its time limit, as for every foreign HDF5 file).
 */
type H5 = typeof import('h5wasm');
interface WritableGroup {
  create_group(name: string): WritableGroup;
  create_dataset(args: { name: string; data: unknown; shape?: number[] | null; dtype?: string | null }): unknown;
}

export async function encodeNirFile(file: H5Group): Promise<Uint8Array> {
  const lib = (await import('h5wasm/node')) as unknown as H5;
  await lib.ready;
  const dir = mkdtempSync(join(tmpdir(), 'tppw-nir-'));
  const path = join(dir, 'graph.nir');
  try {
    const h5 = new lib.File(path, 'w') as unknown as WritableGroup & { close(): void };
    try {
      write(h5, file);
    } finally {
      h5.close();
    }
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if (error instanceof WorkbenchError) throw error;
    throw new WorkbenchError('internal', `writing the NIR file failed: ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(target: WritableGroup, group: H5Group): void {
  for (const [name, entry] of Object.entries(group.group)) {
    if (isGroup(entry)) write(target.create_group(name), entry);
    else target.create_dataset({ name, ...dataOf(entry), shape: [...entry.shape] });
  }
}

/** h5wasm writes JS strings as UTF-8 variable-length strings, as h5py.string_dtype() does. */
function dataOf(d: H5Dataset): { data: unknown } {
  switch (d.dtype) {
    case 'str':
      return { data: d.shape.length === 0 ? d.data[0]! : [...d.data] };
    case 'i64':
      return { data: BigInt64Array.from(d.data, (v) => BigInt(v)) };
    case 'f32':
    case 'f64':
      return { data: d.data };
  }
}

/** A NIR file as a spiking network in the graph IR (formats/model/nir/to-ir.ts). */
export async function importNirFile(path: string, source = path, name = path.replace(/^.*[\\/]/, '').replace(/\.nir$/i, '')): Promise<ModelFile> {
  const contents = await readInH5Worker({ kind: 'model', path, source });
  if (contents.nirTree === undefined) throw new WorkbenchError('invalid_data', `${source}: not a NIR graph (no 'node' group beside a 'version')`);
  return nirToModel(contents.nirTree, source, name);
}
