import type { OnnxOpContext, OnnxOpTable } from './handler';

/**
 * Identity, Dropout (the identity at inference) and Cast pass their input on: every tensor is
 * held as float64 numbers, exact for each type the decoder reads.
 */
const passThrough = (op: OnnxOpContext): void => op.set(op.get(0));

export const IDENTITY_OPS = { Identity: passThrough, Dropout: passThrough, Cast: passThrough } satisfies OnnxOpTable;
