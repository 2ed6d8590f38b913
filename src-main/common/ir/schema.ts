import { z } from 'zod';
import { NEURON_KINDS, RESET_MODES, V0_MODES } from '../snn';

/** zod schemas for the IR and SNN spec as they appear in JSON (model files, contract). */

const pair = z.tuple([z.number().int().positive(), z.number().int().positive()]);
const pads = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()]);
const base = { name: z.string().min(1), inputs: z.array(z.string()) };

export const irNodeSchema = z.discriminatedUnion('op', [
  z.object({ ...base, op: z.literal('conv2d'), kernel: z.string(), bias: z.string().optional(), strides: pair, pads, dilations: pair, groups: z.number().int().positive() }),
  z.object({ ...base, op: z.literal('dense'), kernel: z.string(), bias: z.string().optional() }),
  z.object({ ...base, op: z.literal('batchNorm'), gamma: z.string(), beta: z.string(), mean: z.string(), variance: z.string(), epsilon: z.number().nonnegative() }),
  z.object({ ...base, op: z.literal('relu') }),
  z.object({ ...base, op: z.literal('clip'), min: z.number(), max: z.number() }),
  z.object({ ...base, op: z.literal('qcfs'), lambda: z.string(), levels: z.number().int().positive() }),
  z.object({ ...base, op: z.enum(['avgPool', 'maxPool']), size: pair, strides: pair, pads, countIncludePad: z.boolean() }),
  z.object({ ...base, op: z.literal('globalAvgPool') }),
  z.object({ ...base, op: z.literal('flatten') }),
  z.object({ ...base, op: z.literal('add') }),
  z.object({ ...base, op: z.literal('concat') }),
  z.object({ ...base, op: z.literal('softmax') }),
  z.object({ ...base, op: z.literal('leakyRelu'), alpha: z.number() }),
  z.object({ ...base, op: z.literal('pad'), pads }),
]);

export const thresholdMethodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('max') }),
  z.object({ kind: z.literal('percentile'), percentile: z.number().positive().max(100) }),
  z.object({ kind: z.literal('qcfs') }),
  z.object({ kind: z.literal('snnc') }),
]);

export const snnSpecSchema = z.object({
  layers: z.array(
    z.object({
      node: z.string(),
      neuron: z.enum(NEURON_KINDS),
      threshold: z.string(),
      reset: z.enum(RESET_MODES),
      v0: z.enum(V0_MODES),
      shift: z.boolean(),
      biasCorrection: z.string().optional(),
      potentialCorrection: z.string().optional(),
    }),
  ),
  encoding: z.enum(['direct', 'rate']),
  readout: z.literal('mean'),
  spikingMaxPools: z.array(z.string()).optional(),
  thresholds: z.object({
    method: thresholdMethodSchema,
    perChannel: z.boolean(),
    calibrationSamples: z.number().int().nonnegative(),
    timesteps: z.number().int().positive().optional(),
    percentileOf: z.enum(['positive', 'all']).optional(),
    calibration: z.enum(['light', 'advanced']).optional(),
  }),
});

export const graphHeaderSchema = z.object({
  name: z.string(),
  input: z.object({ name: z.string(), shape: z.array(z.number().int().positive()) }),
  nodes: z.array(irNodeSchema),
  output: z.string(),
  preprocessing: z.object({ scale: z.number(), offset: z.number() }).optional(),
});
