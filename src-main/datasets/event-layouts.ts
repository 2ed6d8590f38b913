import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { invalidArgument, invalidData } from '../common/errors';
import type { SensorSize } from '../common/events';
import type { EventDatasetIndex, EventLayout, EventSample } from '../common/datasets';
import { filesIn, subfolders } from './folder-entries';

const EVENT_EXTENSIONS = new Set(['.bin', '.bs2', '.aedat', '.aedat4', '.raw', '.dat', '.npy', '.es', '.mat', '.csv']);
export const EVENT_FILE_NAMES = [...EVENT_EXTENSIONS].join(', ');
const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const GESTURE_CLASSES = ['hand clap', 'right hand wave', 'left hand wave', 'right arm clockwise', 'right arm counter clockwise', 'left arm clockwise', 'left arm counter clockwise', 'arm roll', 'air drums', 'air guitar', 'other gestures'];

function dirs(path: string): string[] {
  return subfolders(path);
}

function eventFiles(path: string): string[] {
  return filesIn(path, (name) => EVENT_EXTENSIONS.has(extname(name).toLowerCase()));
}

/** A folder whose samples come in several formats is usually a mistake (a stray conversion): said, not refused. */
function mixedFormats(samples: readonly EventSample[]): string[] {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(extname(s.file).toLowerCase(), (counts.get(extname(s.file).toLowerCase()) ?? 0) + 1);
  if (counts.size < 2) return [];
  const list = [...counts].sort((a, b) => b[1] - a[1]).map(([ext, n]) => `${n} ${ext}`).join(', ');
  return [`the samples mix file formats (${list}): check that they belong to one dataset`];
}

function findDir(root: string, names: readonly string[]): string | undefined {
  const entries = dirs(root);
  return entries.find((d) => names.includes(d.toLowerCase()));
}

function classFolders(root: string, base: string, split: EventSample['split'], classes: string[]): EventSample[] {
  const samples: EventSample[] = [];
  for (const name of dirs(base)) {
    let label = classes.indexOf(name);
    if (label < 0) {
      classes.push(name);
      label = classes.length - 1;
    }
    for (const f of eventFiles(join(base, name))) samples.push({ file: relative(root, join(base, name, f)), label, split });
  }
  return samples;
}

/** Indexes a dataset folder; `layout` forces one, otherwise it is recognised from the tree. */
export function indexEventDataset(root: string, layout?: EventLayout): EventDatasetIndex {
  if (existsSync(root) && statSync(root).isFile() && (layout === undefined || layout === 'event-file')) return indexEventFile(root);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw invalidArgument(`dataset ${root} is not a folder`);
  const chosen = layout ?? detectLayout(root);
  switch (chosen) {
    case 'dvs-gesture':
      return indexGesture(root);
    case 'event-file':
      throw invalidArgument(`dataset ${root}: the event-file layout takes one event file, not a folder`);
    case 'nmnist':
    case 'ncaltech101':
    case 'cifar10-dvs':
    case 'class-folders': {
      const classes: string[] = chosen === 'cifar10-dvs' ? [...CIFAR10_CLASSES] : chosen === 'nmnist' ? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] : [];
      const train = findDir(root, ['train', 'training']);
      const test = findDir(root, ['test', 'testing']);
      const samples = train && test
        ? [...classFolders(root, join(root, train), 'train', classes), ...classFolders(root, join(root, test), 'test', classes)]
        : classFolders(root, root, 'all', classes);
      if (samples.length === 0) throw invalidData(`dataset ${root}: no event files (${[...EVENT_EXTENSIONS].join(', ')}) in class folders`);
      const sensor = chosen === 'nmnist' ? { width: 34, height: 34 } : chosen === 'cifar10-dvs' ? { width: 128, height: 128 } : chosen === 'ncaltech101' ? { width: 240, height: 180 } : { width: 0, height: 0 };
      const warnings = mixedFormats(samples);
      return { root, layout: chosen, classes, sensor, samples, ...(warnings.length > 0 ? { warnings } : {}) };
    }
    default: {
      const never: never = chosen;
      return never;
    }
  }
}

/** One recording as a dataset of one unlabelled sample (to view it, or to evaluate a model on it). */
export function isEventFileName(path: string): boolean {
  return EVENT_EXTENSIONS.has(extname(path).toLowerCase());
}

export function indexEventFile(path: string): EventDatasetIndex {
  if (!isEventFileName(path)) {
    throw invalidArgument(`${path} is not an event file this build reads by name (${[...EVENT_EXTENSIONS].join(', ')}); pass the folder of a dataset instead`);
  }
  return { root: dirname(path), layout: 'event-file', classes: ['(unlabelled)'], sensor: { width: 0, height: 0 }, samples: [{ file: basename(path), label: 0, split: 'all' }] };
}

function detectLayout(root: string): EventLayout {
  const top = readdirSync(root);
  if (top.some((f) => /_labels\.csv$/i.test(f)) && top.some((f) => /^trials_to_(train|test)\.txt$/i.test(f))) return 'dvs-gesture';
  const sub = dirs(root).map((d) => d.toLowerCase());
  if (sub.includes('train') && sub.includes('test')) {
    const train = join(root, findDir(root, ['train'])!);
    const digits = dirs(train);
    if (digits.length === 10 && digits.every((d, i) => d === String(i))) return 'nmnist';
    return 'class-folders';
  }
  if (CIFAR10_CLASSES.every((c) => sub.includes(c))) return 'cifar10-dvs';
  if (sub.includes('background_google') || sub.includes('faces_easy') || sub.length === 101 || sub.length === 102) return 'ncaltech101';
  if (sub.length > 0) return 'class-folders';
  // a folder of event files and no class folders: name the likely mistake
  if (dirs(root).length === 0 && eventFiles(root).length > 0) {
    throw invalidData(`dataset ${root}: event files but no class folders; put each class's files in a folder named after the class (or pass one file to read it alone)`);
  }
  throw invalidData(`dataset ${root}: no layout recognised (class folders, Train/Test folders, or DVS Gesture recordings with _labels.csv and trials_to_*.txt)`);
}

function indexGesture(root: string): EventDatasetIndex {
  const trials = (name: string): Set<string> => {
    const file = readdirSync(root).find((f) => f.toLowerCase() === name);
    if (file === undefined) throw invalidData(`dataset ${root}: ${name} is missing`);
    return new Set(readFileSync(join(root, file), 'utf8').split(/\s+/).filter((l) => l.endsWith('.aedat')));
  };
  const train = trials('trials_to_train.txt');
  const test = trials('trials_to_test.txt');
  const samples: EventSample[] = [];
  for (const file of [...train, ...test].sort()) {
    const split = train.has(file) ? 'train' : 'test';
    const labels = join(root, file.replace(/\.aedat$/, '_labels.csv'));
    if (!existsSync(join(root, file))) throw invalidData(`dataset ${root}: ${file} is listed in trials_to_${split}.txt but missing`);
    if (!existsSync(labels)) throw invalidData(`dataset ${root}: ${basename(labels)} is missing for ${file}`);
    const rows = readFileSync(labels, 'utf8').split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
    for (const [i, row] of rows.entries()) {
      const [cls, start, end] = row.split(',').map((v) => Number(v.trim()));
      if (!Number.isInteger(cls) || cls! < 1 || cls! > 11 || !(end! > start!)) {
        throw invalidData(`dataset ${root}: ${basename(labels)} line ${i + 2} '${row}' is not class (1–11), startTime_usec, endTime_usec`);
      }
      samples.push({ file, label: cls! - 1, split, startUs: start!, endUs: end! });
    }
  }
  return { root, layout: 'dvs-gesture', classes: GESTURE_CLASSES, sensor: { width: 128, height: 128 }, samples };
}
