import { makeImageSet, type SampleSet } from '../../src-main/datasets/sample-set';
import { makeRandom } from '../../src-main/common/random';

/** A seeded random image set (values in [0, 1)), labelled by the argmax of a fixed projection
 * so a model can be "right" about it; good enough to drive the pipeline in tests. */
export function randomImageSet(count: number, shape: number[], classes: number, seed = 1): SampleSet {
  const random = makeRandom(seed, 3);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: count * size }, () => random());
  const labels = Int32Array.from({ length: count }, (_, i) => i % classes);
  return makeImageSet({ name: 'random images', data, count, shape, layout: 'nhwc', labels, transform: { scale: 1, offset: 0 } });
}
