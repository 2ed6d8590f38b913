import type { QcfsMatch } from '../qcfs-pattern';
import type { OnnxOpContext, OnnxOpTable } from './handler';
import { channelsOf, like } from './values';

/**
 * The QCFS activation λ·clip(floor(x·L/λ + 1/2)/L, 0, 1), found by qcfs-pattern.ts, becomes one
 * IR node, emitted in place of the pattern's first node (`op`); its other nodes emit nothing.
 */
export function emitQcfs(op: OnnxOpContext, match: QcfsMatch): void {
  const x = op.lookup(match.source);
  if (x === undefined || x.kind === 'const') throw op.unsupported(`the QCFS activation reads '${match.source}', which is not data`);
  const channels = channelsOf(x);
  if (match.lambda.length !== 1 && match.lambda.length !== channels) throw op.unsupported(`QCFS λ has ${match.lambda.length} values for ${channels} channels`);
  const { b } = op;
  const name = b.unique(`${op.node.name}_qcfs`);
  const lambda = b.weight(`${name}/lambda`, [match.lambda.length], match.lambda);
  b.add({ name, op: 'qcfs', inputs: [x.ir], lambda, levels: match.levels });
  op.define(match.output, like(x, name));
}

/** A Floor outside the pattern: the IR has no floor node. */
export const QCFS_OPS = {
  Floor: (op) => {
    throw op.unsupported('Floor outside a recognised QCFS activation λ·clip(floor(x·L/λ + 1/2)/L, 0, 1)');
  },
} satisfies OnnxOpTable;
