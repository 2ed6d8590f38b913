import { describe, expect, it } from 'vitest';
import type { DatasetRow } from '../../src-main/common/contract';
import type { ModelSummary } from '../../src-main/common/ir/summary';
import { preflight } from '../../src-main/common/preflight';
import { STUDY_DEFAULTS } from '../../src-main/common/study';

/** The pre-flight check on hand-made model summaries and dataset rows. */
const model = (shape: number[], ops: string[], preprocessing: ModelSummary['preprocessing'] = null): ModelSummary =>
  ({ name: 'm', input: { name: 'x', shape }, output: { name: 'y', shape: [10] }, preprocessing, nodes: ops.map((op, i) => ({ name: `${op}${i}`, op, inputs: [], inputShapes: [], outputShape: [], params: 0, macs: 0, warnings: [] })), totals: { nodes: ops.length, params: 0, macs: 0, spikingLayers: 1 }, warnings: [] }) as ModelSummary;
const dataset = (over: Partial<DatasetRow>): DatasetRow => ({ id: 1, name: 'd', path: '/d', kind: 'images', layout: 'mnist-idx', classes: [], samples: 10, shape: [28, 28, 1], sensor: null, createdAt: '', ...over });
const start = (over: { maxPool?: 'refuse' | 'avg'; polarity?: 'two-channels' | 'merged'; size?: { width: number; height: number }; transform?: { scale: number; offset: number } } = {}) => ({
  study: { ...STUDY_DEFAULTS, methods: ['if' as const], timesteps: [4], seeds: [0], maxPool: over.maxPool ?? 'refuse' },
  input: 'static' as const,
  frames: { polarity: over.polarity ?? 'two-channels', split: 'count' as const, ...(over.size ? { size: over.size } : {}) },
  ...(over.transform ? { transform: over.transform } : {}),
});

describe('pre-flight check', () => {
  it('says nothing when model and data fit', () => {
    expect(preflight(start({ transform: { scale: 1 / 255, offset: 0 } }), model([28, 28, 1], ['conv2d', 'relu']), dataset({}))).toEqual([]);
  });

  it('max pooling under "refuse": an error on that field, naming the pools and the choices', () => {
    const issues = preflight(start({ transform: { scale: 1, offset: 0 } }), model([28, 28, 1], ['conv2d', 'relu', 'maxPool', 'maxPool']), dataset({}));
    expect(issues).toEqual([{ level: 'error', field: 'maxPool', message: expect.stringContaining('maxPool2, maxPool3') }]);
    expect(issues[0]!.message).toMatch(/replace by average pooling/);
    expect(preflight(start({ maxPool: 'avg', transform: { scale: 1, offset: 0 } }), model([28, 28, 1], ['maxPool']), dataset({}))).toEqual([]);
  });

  it('event frames of the wrong size or channel count: what to set, in the form words', () => {
    const events = dataset({ kind: 'events', layout: 'nmnist', shape: null, sensor: { width: 34, height: 34 } });
    const issues = preflight(start(), model([28, 28, 1], ['conv2d']), events);
    expect(issues.map((i) => i.field)).toEqual(['frameSize', 'polarity']);
    expect(issues[0]!.message).toBe("The model takes 28×28 inputs; this dataset's frames are 34×34. Set the frame size to 28x28.");
    expect(issues[1]!.message).toMatch(/^The model takes 1 channel; "two channels \(OFF, ON\)" gives 2 channels\. Choose "signed" or "merged"/);
    expect(preflight(start({ polarity: 'merged', size: { width: 28, height: 28 } }), model([28, 28, 1], ['conv2d']), events)).toEqual([]);
  });

  it('8-bit images and no input scaling anywhere: a warning; a model that records its scaling: none', () => {
    expect(preflight(start(), model([28, 28, 1], ['conv2d']), dataset({})).map((i) => [i.level, i.field])).toEqual([['warning', 'scale']]);
    expect(preflight(start(), model([28, 28, 1], ['conv2d'], { scale: 1 / 255, offset: 0 }), dataset({}))).toEqual([]);
  });

  it('images with other channels than the model takes', () => {
    const issues = preflight(start({ transform: { scale: 1, offset: 0 } }), model([32, 32, 3], ['conv2d']), dataset({ shape: [32, 32, 1] }));
    expect(issues).toEqual([{ level: 'error', field: 'channels', message: 'The model takes 3 channels; the images have 1 channel. Set channels to RGB.' }]);
  });
});
