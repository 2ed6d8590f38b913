import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { useBackend } from '../../helpers/backend';
import { REPO_ROOT } from '../../helpers/fixtures';
import { forward, maxAbsDiff, nchwToNhwc, readNpy } from '../../helpers/models';

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

  it('sequential.json (model.to_json) with sequential.weights.h5 (model.save_weights)', async () => {
    const { graph, format } = await loadModelFile(join(DIR, 'sequential.json'), { weights: join(DIR, 'sequential.weights.h5') });
    expect(format).toBe('keras-json');
    const x = readNpy(join(DIR, 'sequential.input.npy'));
    expect(maxAbsDiff(forward(graph, x.data, x.shape[0]!), readNpy(join(DIR, 'sequential.output.npy')).data)).toBeLessThan(1e-4);
  });

  it('splits activations out of layers so conversion sees them', async () => {
    const { graph } = await loadModelFile(join(DIR, 'sequential.keras'));
    expect(graph.nodes.map((n) => n.op)).toEqual(['pad', 'conv2d', 'relu', 'batchNorm', 'maxPool', 'conv2d', 'clip', 'flatten', 'dense', 'softmax']);
  });
});

/** Keras 2 files written by tf.keras 2.15 (`make_keras2.py`), against Keras's own predictions. */
describe('Keras 2 importer against Keras predictions', () => {
  beforeAll(() => useBackend('wasm'));
  const npy = (name: string) => readNpy(join(DIR, name));

  async function outputOf(model: string, input: string, options: { nchw?: boolean; weights?: string } = {}): Promise<Float32Array> {
    const { graph } = await loadModelFile(join(DIR, model), options.weights === undefined ? {} : { weights: join(DIR, options.weights) });
    const x = npy(input);
    return forward(graph, options.nchw ? nchwToNhwc(x.data, x.shape) : x.data, x.shape[0]!);
  }

  // Keras >= 2.2 records data_format on Flatten and, for channels_first, permutes to channels-last
  // before flattening: the Dense kernel after it is already in H, W, C order.
  it('channels_first with Flatten(data_format=channels_first): the Dense kernel is not reordered', async () => {
    const got = await outputOf('channels_first.h5', 'channels_first.input.npy', { nchw: true });
    expect(maxAbsDiff(got, npy('channels_first.output.npy').data)).toBeLessThan(1e-5);
  });

  // Older files have no data_format on Flatten: Keras flattened the NCHW tensor as stored.
  it('channels_first without data_format on Flatten (Keras < 2.2): flattened in C, H, W order', async () => {
    const got = await outputOf('channels_first_old.h5', 'channels_first.input.npy', { nchw: true });
    const want = npy('channels_first_old.output.npy').data;
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    // the two orders really differ on this model, so each test tells them apart
    expect(maxAbsDiff(want, npy('channels_first.output.npy').data)).toBeGreaterThan(0.5);
  });

  it('channels_first with Flatten(data_format=channels_last): flattened in C, H, W order', async () => {
    const got = await outputOf('channels_first_flatten_last.h5', 'channels_first.input.npy', { nchw: true });
    expect(maxAbsDiff(got, npy('channels_first_old.output.npy').data)).toBeLessThan(1e-5);
  });

  // Keras 2 stores layer 'fire2/squeeze1x1' as nested groups, its weights as
  // model_weights/fire2/squeeze1x1/fire2/squeeze1x1/kernel:0.
  it("layer names with '/' (SqueezeNet's fire2/squeeze1x1)", async () => {
    const got = await outputOf('slash_names.h5', 'slash_names.input.npy');
    expect(maxAbsDiff(got, npy('slash_names.output.npy').data)).toBeLessThan(1e-5);
  });

  it('an architecture JSON (model.to_json) with its weights file (model.save_weights)', async () => {
    const model = await loadModelFile(join(DIR, 'json_pair.json'), { weights: join(DIR, 'json_pair_weights.h5') });
    expect(model.format).toBe('keras-json');
    const got = await outputOf('json_pair.json', 'json_pair.input.npy', { weights: 'json_pair_weights.h5' });
    expect(maxAbsDiff(got, npy('json_pair.output.npy').data)).toBeLessThan(1e-5);
  });

  it('says that an architecture JSON needs its weights file, and a weights-only file its architecture', async () => {
    const json = join(DIR, 'json_pair.json');
    const weights = join(DIR, 'json_pair_weights.h5');
    await expect(loadModelFile(json)).rejects.toThrow(
      `${json}: a Keras model architecture (model.to_json()) without its weights: also give its weights file, the HDF5 file saved by model.save_weights (--weights FILE)`,
    );
    await expect(loadModelFile(weights)).rejects.toThrow(
      `${weights}: a Keras weights-only file (saved by model.save_weights; no 'model_config'): give the architecture JSON (model.to_json()) as the model and this file as its weights (--weights FILE)`,
    );
    await expect(loadModelFile(join(DIR, 'sequential.keras'), { weights })).rejects.toThrow(
      `--weights ${weights}: a weights file goes with a Keras architecture JSON (model.to_json()) only; ${join(DIR, 'sequential.keras')} is a Keras 3 .keras archive, which holds its own weights`,
    );
    await expect(loadModelFile(json, { weights: join(DIR, 'slash_names.h5') })).rejects.toThrow(
      /slash_names\.h5: weights of layers 'conv1', 'fire2\/squeeze1x1', .* which .*json_pair\.json does not have: is this the weights file of that model\?/,
    );
  });
});
