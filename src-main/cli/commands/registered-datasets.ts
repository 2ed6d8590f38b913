import type { DatasetDetail, DatasetRow } from '../../common/contract';
import { invalidArgument } from '../../common/errors';
import { Options, parseArgs } from '../args';
import { align } from '../report-table';
import { SERVICE_OPTIONS, ServiceClient, positionalId, printJson, settle } from '../service-client';

export const DATASETS_USAGE = `tppw datasets import PATH [--name N] [--layout L] [--detach]
                              register a dataset folder (indexed in place; the files are never changed)
tppw datasets list | show ID | remove ID`;

export async function datasetsCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const command = `datasets ${sub ?? ''}`.trim();
  const declared = { ...SERVICE_OPTIONS, ...(sub === 'import' ? { name: 'string', layout: 'string', detach: 'flag' } as const : {}) };
  if (!['import', 'list', 'show', 'remove'].includes(sub ?? '')) throw invalidArgument(`datasets: unknown subcommand '${sub ?? ''}' (import, list, show, remove)`);
  const parsed = parseArgs(rest, declared, command);
  const o = new Options(parsed, command);
  const client = ServiceClient.open(o);
  try {
    switch (sub) {
      case 'import': {
        if (parsed.positionals.length !== 1) throw invalidArgument(`datasets import: expects one dataset folder, got ${parsed.positionals.length} arguments`);
        const name = o.string('name');
        const layout = o.string('layout');
        const job = await client.call('datasets.import', { path: parsed.positionals[0]!, ...(name ? { name } : {}), ...(layout ? { layout } : {}) });
        if (o.flag('detach')) return o.flag('json') ? printJson(job) : void process.stdout.write(`queued job ${job.id}\n`);
        const done = settle(await client.follow(job.id));
        const detail = await client.call('datasets.show', { id: done.result!.datasetId! });
        return o.flag('json') ? printJson(detail) : void process.stdout.write(`${formatDataset(detail)}\n`);
      }
      case 'list': {
        if (parsed.positionals.length > 0) throw invalidArgument(`datasets list: unexpected argument '${parsed.positionals[0]}'`);
        const rows = await client.call('datasets.list', {});
        return o.flag('json') ? printJson(rows) : void process.stdout.write(`${formatDatasets(rows)}\n`);
      }
      case 'show': {
        const detail = await client.call('datasets.show', { id: positionalId(parsed.positionals, command) });
        return o.flag('json') ? printJson(detail) : void process.stdout.write(`${formatDataset(detail)}\n`);
      }
      default: {
        const id = positionalId(parsed.positionals, command);
        const removed = await client.call('datasets.remove', { id });
        return o.flag('json') ? printJson(removed) : void process.stdout.write(`removed dataset ${id} (its files are untouched)\n`);
      }
    }
  } finally {
    client.close();
  }
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
