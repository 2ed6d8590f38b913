import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { useBackend } from '../../helpers/backend';
import { REPO_ROOT } from '../../helpers/fixtures';
import { forward, maxAbsDiff, readNpy } from '../../helpers/models';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'keras');

describe('Keras 3 importer against Keras predictions', () => {
  beforeAll(() => useBackend('wasm'));

  for (const name of ['sequential', 'functional']) {
    for (const ext of ['keras', 'h5']) {
      it(`${name}.${ext}`, async () => {
        const { graph } = await loadModelFile(join(DIR, `${name}.${ext}`));
        const x = readNpy(join(DIR, `${name}.input.npy`));
        const want = readNpy(join(DIR, `${name}.output.npy`));
        const got = forward(graph, x.data, x.shape[0]!);
        expect(maxAbsDiff(got, want.data)).toBeLessThan(1e-4);
      });
    }
  }

  it('splits activations out of layers so conversion sees them', async () => {
    const { graph } = await loadModelFile(join(DIR, 'sequential.keras'));
    expect(graph.nodes.map((n) => n.op)).toEqual(['pad', 'conv2d', 'relu', 'batchNorm', 'maxPool', 'conv2d', 'clip', 'flatten', 'dense', 'softmax']);
  });
});
