import type { OnnxOpContext, OnnxOpTable } from './handler';
import { like } from './values';

/** BatchNormalization in inference mode: scale, bias, mean and variance are initializers. */
function batchNormalization(op: OnnxOpContext): void {
  const x = op.data();
  if (x.kind === 'nhwc') throw op.unsupported('batch norm over axis 1 of an [N, H, W, C] tensor');
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => op.constInput(i).values);
  const { b } = op;
  const name = b.unique(op.node.name);
  const c = scale!.length;
  b.add({
    name, op: 'batchNorm', inputs: [x.ir], epsilon: op.float('epsilon', 1e-5),
    gamma: b.weight(`${name}/gamma`, [c], scale!), beta: b.weight(`${name}/beta`, [c], bias!),
    mean: b.weight(`${name}/mean`, [c], mean!), variance: b.weight(`${name}/variance`, [c], variance!),
  });
  op.set(like(x, name));
}

export const NORMALIZATION_OPS = { BatchNormalization: batchNormalization } satisfies OnnxOpTable;
