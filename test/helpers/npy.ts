/** A .npy file as numpy.save writes it (version 1.0, header padded to a multiple of 64). */
export function npyBytes(descr: string, shape: number[], body: Uint8Array, fortran = false, version = 1): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const descrLiteral = descr.startsWith('[') ? descr : `'${descr}'`;
  let header = `{'descr': ${descrLiteral}, 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat(64 - ((prefix + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(prefix + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(body, prefix + header.length);
  return out;
}
