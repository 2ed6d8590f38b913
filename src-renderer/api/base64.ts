/** Base64 (as the service sends binary columns) to bytes, and typed views on little-endian data. */
export function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function base64Uint16(text: string): Uint16Array {
  const bytes = base64Bytes(text);
  return new Uint16Array(bytes.buffer, 0, bytes.length >> 1);
}

export function base64Float64(text: string): Float64Array {
  const bytes = base64Bytes(text);
  return new Float64Array(bytes.buffer, 0, bytes.length >> 3);
}

export function base64Float32(text: string): Float32Array {
  const bytes = base64Bytes(text);
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}
