import { z } from 'zod';
import { invalidData } from '../../common/errors';
import { buildGraph } from '../../common/ir/graph';
import { graphHeaderSchema, snnSpecSchema } from '../../common/ir/schema';
import type { Graph, WeightTensor } from '../../common/ir/types';
import type { SnnSpec } from '../../common/snn';

/**
 * The workbench's own model file (`.tppw`): one file holding the graph IR as JSON and the
 * weights as raw little-endian float32, so a converted SNN is saved and loaded bit-exactly.
 *
 *   bytes 0..7    ASCII "TPPWMODL"
 *   bytes 8..11   uint32 LE format version (1)
 *   bytes 12..15  uint32 LE length J of the JSON header
 *   bytes 16..    J bytes of UTF-8 JSON, then zero padding to a multiple of 8
 *   then          the weight blob; each weight's `offset` and `length` count float32 values
 */
const MAGIC = 'TPPWMODL';
const VERSION = 1;

const headerSchema = z.object({
  format: z.literal('tppw-model'),
  graph: graphHeaderSchema,
  weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() })),
  snn: snnSpecSchema.optional(),
});

export interface ModelFile {
  readonly graph: Graph;
  readonly snn?: SnnSpec;
}

export function isTppwModel(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(0, 8)) === MAGIC;
}

export function encodeModel(model: ModelFile): Uint8Array {
  const entries: { name: string; shape: number[]; offset: number; length: number }[] = [];
  let floats = 0;
  for (const [name, w] of model.graph.weights) {
    entries.push({ name, shape: [...w.shape], offset: floats, length: w.data.length });
    floats += w.data.length;
  }
  const { graph } = model;
  const header = {
    format: 'tppw-model',
    graph: { name: graph.name, input: graph.input, nodes: graph.nodes, output: graph.output, ...(graph.preprocessing ? { preprocessing: graph.preprocessing } : {}) },
    weights: entries,
    ...(model.snn ? { snn: model.snn } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(canonical(header)));
  const blobStart = align8(16 + json.length);
  const out = new Uint8Array(blobStart + floats * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  for (const [i, w] of [...model.graph.weights.values()].entries()) {
    const at = blobStart + entries[i]!.offset * 4;
    for (let j = 0; j < w.data.length; j++) view.setFloat32(at + 4 * j, w.data[j]!, true);
  }
  return out;
}

export function decodeModel(bytes: Uint8Array, source: string): ModelFile {
  if (!isTppwModel(bytes)) throw invalidData(`${source}: not a TPP Workbench model file (missing the TPPWMODL magic)`);
  if (bytes.length < 16) throw invalidData(`${source}: truncated header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw invalidData(`${source}: model format version ${version} is not supported (this build reads ${VERSION})`);
  const jsonLength = view.getUint32(12, true);
  if (16 + jsonLength > bytes.length) {
    throw invalidData(`${source}: JSON header of ${jsonLength} bytes runs past the end of the file (${bytes.length} bytes)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + jsonLength)));
  } catch (error) {
    throw invalidData(`${source}: the JSON header is corrupt (${(error as Error).message})`);
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'header'}: ${i.message}`);
    throw invalidData(`${source}: invalid model header: ${issues.join('; ')}`);
  }
  const header = parsed.data;
  const blobStart = align8(16 + jsonLength);
  const weights = new Map<string, WeightTensor>();
  for (const entry of header.weights) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (size !== entry.length) {
      throw invalidData(`${source}: weight '${entry.name}' has shape [${entry.shape.join(', ')}] but ${entry.length} values`);
    }
    const at = blobStart + entry.offset * 4;
    if (at + entry.length * 4 > bytes.length) {
      throw invalidData(`${source}: weight '${entry.name}' (bytes ${at}..${at + entry.length * 4}) runs past the end of the file (${bytes.length} bytes)`);
    }
    const data = new Float32Array(entry.length);
    for (let j = 0; j < entry.length; j++) data[j] = view.getFloat32(at + 4 * j, true);
    weights.set(entry.name, { shape: entry.shape, data });
  }
  const graph = buildGraph({ ...header.graph, weights });
  return header.snn ? { graph, snn: header.snn } : { graph };
}

/** Objects with sorted keys, so equal models encode to identical bytes. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
