import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HandlerName } from '../../src-main/common/contract';
import { EVENT_FILE_NAMES } from '../../src-main/datasets/event-layouts';
import type { CallResult } from '../../src-main/electron/common/routes';
import { pickPath, pickSavePath, PICK_OPTIONS } from '../../src-main/electron/main/dialogs';
import { PathOpener } from '../../src-main/electron/main/open-paths';
import { PathGrants, refusedPath } from '../../src-main/electron/main/path-grants';
import { BrowserWindow, dialog } from '../helpers/fake-electron';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';
import { DEMO_MODEL_FILE } from '../helpers/workbench';

vi.mock('electron', () => import('../helpers/fake-electron'));

const noRoots = async (): Promise<string[]> => [];

beforeEach(() => {
  dialog.showOpenDialog.mockReset();
  dialog.showSaveDialog.mockReset();
});

describe('paths from dialogs', () => {
  it('a picked folder is granted, with everything inside it; nothing else is', async () => {
    const data = tempDir('tppw-grants-');
    mkdirSync(join(data, 'nmnist', 'Test'), { recursive: true });
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [join(data, 'nmnist')] });
    const grants = new PathGrants();
    const window = new BrowserWindow({});
    expect(await pickPath(window as never, 'dataset-folder', grants)).toBe(join(data, 'nmnist'));
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(window, PICK_OPTIONS['dataset-folder']);
    expect(await refusedPath('datasets.import', { path: join(data, 'nmnist') }, grants, noRoots)).toBeUndefined();
    expect(await refusedPath('datasets.import', { path: join(data, 'nmnist', 'Test') }, grants, noRoots)).toBeUndefined();
    expect(await refusedPath('datasets.import', { path: data }, grants, noRoots)).toMatchObject({ kind: 'invalid_argument' });
    expect(await refusedPath('datasets.import', { path: join(data, 'nmnist-other') }, grants, noRoots)).toMatchObject({ kind: 'invalid_argument' });
  });

  it('a file chosen in the save dialog may be written, and nothing beside it', async () => {
    const dir = tempDir('tppw-grants-');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: join(dir, 'report.html') });
    const grants = new PathGrants();
    expect(await pickSavePath(undefined, '../../etc/report.html', grants)).toBe(join(dir, 'report.html'));
    // the page suggests a name, never a folder
    expect(dialog.showSaveDialog).toHaveBeenCalledWith({ defaultPath: 'report.html', properties: ['createDirectory', 'showOverwriteConfirmation'] });
    expect(await refusedPath('runs.report', { ids: [1], format: 'html', out: join(dir, 'report.html') }, grants, noRoots)).toBeUndefined();
    expect(await refusedPath('runs.export', { id: 1, to: 'nir', out: join(dir, 'other.nir') }, grants, noRoots)).toMatchObject({ kind: 'invalid_argument' });
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true });
    expect(await pickSavePath(undefined, 'net.nir', grants)).toBeUndefined();
  });

  it('a cancelled dialog grants nothing', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    const grants = new PathGrants();
    expect(await pickPath(undefined, 'model-file', grants)).toBeUndefined();
    expect(grants.allows('/', [])).toBe(false);
  });

  it('filters the model and event file dialogs by what the workbench reads', () => {
    // the event extensions the dataset readers take by name, whatever they grow to
    expect(PICK_OPTIONS['event-file'].filters?.[0]?.extensions?.map((e) => `.${e}`).join(', ')).toBe(EVENT_FILE_NAMES);
    expect(PICK_OPTIONS['event-file'].filters?.[0]?.extensions).toEqual(expect.arrayContaining(['bin', 'bs2', 'aedat', 'aedat4', 'raw', 'dat', 'npy']));
    expect(PICK_OPTIONS['model-file'].filters?.[0]?.extensions).toEqual(['onnx', 'h5', 'hdf5', 'keras', 'json', 'tppw']);
    expect(PICK_OPTIONS['dataset-folder'].properties).toEqual(['openDirectory']);
  });

  it('a link inside a chosen folder does not lead out of it, and relative paths are refused', async () => {
    const dir = tempDir('tppw-grants-');
    mkdirSync(join(dir, 'chosen'));
    mkdirSync(join(dir, 'private'));
    writeFileSync(join(dir, 'private', 'key'), 'secret');
    symlinkSync(join(dir, 'private'), join(dir, 'chosen', 'escape'));
    const grants = new PathGrants();
    grants.grant(join(dir, 'chosen'));
    expect(await refusedPath('datasets.import', { path: join(dir, 'chosen', 'escape') }, grants, noRoots)).toBeDefined();
    expect(await refusedPath('datasets.import', { path: join(dir, 'chosen', 'escape', 'key') }, grants, noRoots)).toBeDefined();
    expect(await refusedPath('datasets.import', { path: join(dir, 'chosen', 'escape', '..', '..', 'private') }, grants, noRoots)).toBeDefined();
    expect(await refusedPath('datasets.import', { path: 'chosen' }, grants, noRoots)).toBeDefined();
  });

  it('paths inside a registered dataset folder may be typed', async () => {
    const dir = tempDir('tppw-grants-');
    mkdirSync(join(dir, 'gesture', 'user01'), { recursive: true });
    const roots = async (): Promise<string[]> => [join(dir, 'gesture')];
    expect(await refusedPath('datasets.import', { path: join(dir, 'gesture', 'user01') }, new PathGrants(), roots)).toBeUndefined();
    expect(await refusedPath('models.import', { path: join(dir, 'model.onnx') }, new PathGrants(), roots)).toBeDefined();
  });

  it('handlers without path arguments are not looked at, nor are the registered datasets asked for', async () => {
    const roots = vi.fn(noRoots);
    expect(await refusedPath('runs.show', { id: 1, path: '/etc' }, new PathGrants(), roots)).toBeUndefined();
    expect(await refusedPath('datasets.import', {}, new PathGrants(), roots)).toBeUndefined();
    expect(roots).not.toHaveBeenCalled();
  });
});

describe.skipIf(!HAVE_FIXTURES)('paths dropped on the window or opened with the app', () => {
  function opener() {
    const calls: { name: HandlerName; args: unknown }[] = [];
    let nextJob = 1;
    const service = {
      call: async (name: HandlerName, args: unknown): Promise<CallResult> => {
        calls.push({ name, args });
        return (args as { path: string }).path.endsWith('.bs2') ? { error: { kind: 'invalid_argument', message: 'already registered as dataset 1' } } : { data: { id: nextJob++ } };
      },
    };
    const grants = new PathGrants();
    const navigate = vi.fn();
    const report = vi.fn();
    return { opener: new PathOpener({ service, grants, navigate, report }), calls, grants, navigate, report };
  }

  it('imports each as a dataset or a model by its content, and shows the list it lands in', async () => {
    const { opener: o, calls, navigate, report } = opener();
    const paths = {
      onnx: join(FIXTURES, 'models', 'wonnx_opt-mnist.onnx'),
      tppw: DEMO_MODEL_FILE,
      keras: join(FIXTURES, 'models', 'snntoolbox_lenet5_keras_98.96.h5'),
      tfjsFolder: join(FIXTURES, 'models', 'tfjs_lenet_mnist'),
      events: join(FIXTURES, 'events', 'tonic_sample.aedat4'),
      nmnist: join(FIXTURES, 'events', 'tonic_sample_nmnist.bin'),
      folder: join(FIXTURES, 'images'),
    };
    await o.open(Object.values(paths));
    expect(calls).toEqual([
      { name: 'models.import', args: { path: paths.onnx } },
      { name: 'models.import', args: { path: paths.tppw } },
      { name: 'models.import', args: { path: paths.keras } },
      { name: 'models.import', args: { path: join(paths.tfjsFolder, 'mnist.json') } },
      { name: 'datasets.import', args: { path: paths.events } },
      { name: 'datasets.import', args: { path: paths.nmnist } },
      { name: 'datasets.import', args: { path: paths.folder } },
    ]);
    expect(navigate.mock.calls.map((c) => c[0])).toEqual(['#/models', '#/models', '#/models', '#/models', '#/datasets', '#/datasets', '#/datasets']);
    expect(report).not.toHaveBeenCalled();
  });

  it('grants what it opens, so the renderer may name it afterwards', async () => {
    const { opener: o, grants } = opener();
    const folder = join(FIXTURES, 'images');
    await o.open([folder]);
    expect(grants.allows(join(folder, 'wonnx_mnist_digit_0.jpg'), [])).toBe(true);
    expect(grants.allows(join(FIXTURES, 'models'), [])).toBe(false);
  });

  it('takes the kind the File menu asked for', async () => {
    const { opener: o, calls } = opener();
    await o.open([join(FIXTURES, 'models', 'tfjs_lenet_mnist')], 'dataset');
    expect(calls).toEqual([{ name: 'datasets.import', args: { path: join(FIXTURES, 'models', 'tfjs_lenet_mnist') } }]);
  });

  it('reports what it cannot open, a refused import, and an import job that failed later', async () => {
    const { opener: o, report, navigate } = opener();
    const text = join(tempDir('tppw-open-'), 'notes.md');
    writeFileSync(text, 'plain words');
    await o.open([text, join(FIXTURES, 'events', 'slayer_nmnistsmall_1.bs2'), '/no/such/path']);
    expect(report.mock.calls.map((c) => c[0])).toEqual([`Cannot open ${text}`, `Cannot import ${join(FIXTURES, 'events', 'slayer_nmnistsmall_1.bs2')}`, 'Cannot open /no/such/path']);
    expect(report.mock.calls[0]![1]).toMatch(/neither a dataset .* nor a model file/);
    expect(report.mock.calls[1]![1]).toBe('already registered as dataset 1');
    expect(navigate).not.toHaveBeenCalled();
    await o.open([join(FIXTURES, 'images')]);
    o.onEvent({ event: 'job.finished', data: { jobId: 99, status: 'failed', error: { kind: 'io', message: 'not ours' } } });
    o.onEvent({ event: 'job.finished', data: { jobId: 1, status: 'failed', error: { kind: 'invalid_data', message: 'no images in it' } } });
    expect(report).toHaveBeenLastCalledWith(`Importing ${join(FIXTURES, 'images')} failed`, 'no images in it');
    expect(report).toHaveBeenCalledTimes(4);
  });
});
