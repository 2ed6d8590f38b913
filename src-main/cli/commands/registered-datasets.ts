import type { DatasetDetail, DatasetRow } from '../../common/contract';
import { align } from '../report-table';
import { registryCommand } from './registry';

export const DATASETS_USAGE = `tppw datasets import PATH [--name N] [--layout L] [--detach]
                              register a dataset folder (indexed in place; the files are never changed)
tppw datasets list | show ID | remove ID`;

export function datasetsCommand(argv: readonly string[]): Promise<void> {
  return registryCommand(argv, {
    noun: 'datasets',
    what: 'dataset folder',
    importOptions: { name: 'string', layout: 'string' },
    start: (client, path, o) => {
      const name = o.string('name');
      const layout = o.string('layout');
      return client.call('datasets.import', { path, ...(name ? { name } : {}), ...(layout ? { layout } : {}) });
    },
    produced: (job) => job.result!.datasetId!,
    list: (client) => client.call('datasets.list', {}),
    show: (client, id) => client.call('datasets.show', { id }),
    remove: (client, id) => client.call('datasets.remove', { id }),
    formatList: formatDatasets,
    formatDetail: formatDataset,
    removedMessage: (id) => `removed dataset ${id} (its files are untouched)`,
  });
}

function formatDatasets(rows: readonly DatasetRow[]): string {
  if (rows.length === 0) return 'no datasets registered (tppw datasets import PATH)';
  return align([
    ['id', 'name', 'kind', 'layout', 'classes', 'samples', 'path'],
    ...rows.map((d) => [String(d.id), d.name, d.kind, d.layout, String(d.classes.length), String(d.samples), d.path]),
  ]).join('\n');
}

function formatDataset(d: DatasetDetail): string {
  const lines = [
    `dataset ${d.id}  ${d.name}`,
    `path     ${d.path}`,
    `kind     ${d.kind} (${d.layout}), ${d.samples} samples, ${d.classes.length} classes${d.shape ? `, samples ${d.shape.join('×')}` : ''}${d.sensor ? `, sensor ${d.sensor.width}×${d.sensor.height}` : ''}`,
    '',
  ];
  const splits = Object.entries(d.splits);
  lines.push(
    ...align([
      ['split', 'samples', ...(d.kind === 'events' ? ['mean events', 'mean duration'] : []), 'smallest class', 'largest class'],
      ...splits.map(([name, s]) => [
        name,
        String(s.samples),
        ...(d.kind === 'events' ? [s.meanEvents === null ? '-' : s.meanEvents.toFixed(0), s.meanDurationUs === null ? '-' : `${(s.meanDurationUs / 1000).toFixed(1)} ms`] : []),
        classExtreme(d.classes, s.perClass, Math.min),
        classExtreme(d.classes, s.perClass, Math.max),
      ]),
    ]),
  );
  return lines.join('\n');
}

function classExtreme(classes: readonly string[], perClass: readonly number[], pick: (...n: number[]) => number): string {
  const n = pick(...perClass);
  const k = perClass.indexOf(n);
  return `${classes[k] ?? k} (${n})`;
}
