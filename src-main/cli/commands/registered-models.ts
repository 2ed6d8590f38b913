import type { ModelDetail, ModelRow } from '../../common/contract';
import { invalidArgument } from '../../common/errors';
import { Options, parseArgs } from '../args';
import { align } from '../report-table';
import { SERVICE_OPTIONS, ServiceClient, positionalId, printJson, settle } from '../service-client';

export const MODELS_USAGE = `tppw models import FILE [--name N] [--detach]
                              import a model (a copy of its IR is kept in the data directory)
tppw models list | show ID | remove ID`;

export async function modelsCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const command = `models ${sub ?? ''}`.trim();
  if (!['import', 'list', 'show', 'remove'].includes(sub ?? '')) throw invalidArgument(`models: unknown subcommand '${sub ?? ''}' (import, list, show, remove)`);
  const declared = { ...SERVICE_OPTIONS, ...(sub === 'import' ? { name: 'string', detach: 'flag' } as const : {}) };
  const parsed = parseArgs(rest, declared, command);
  const o = new Options(parsed, command);
  const client = ServiceClient.open(o);
  try {
    switch (sub) {
      case 'import': {
        if (parsed.positionals.length !== 1) throw invalidArgument(`models import: expects one model FILE, got ${parsed.positionals.length} arguments`);
        const name = o.string('name');
        const job = await client.call('models.import', { path: parsed.positionals[0]!, ...(name ? { name } : {}) });
        if (o.flag('detach')) return o.flag('json') ? printJson(job) : void process.stdout.write(`queued job ${job.id}\n`);
        const done = settle(await client.follow(job.id));
        const detail = await client.call('models.show', { id: done.result!.modelId! });
        return o.flag('json') ? printJson(detail) : void process.stdout.write(`${formatModel(detail)}\n`);
      }
      case 'list': {
        if (parsed.positionals.length > 0) throw invalidArgument(`models list: unexpected argument '${parsed.positionals[0]}'`);
        const rows = await client.call('models.list', {});
        return o.flag('json') ? printJson(rows) : void process.stdout.write(`${formatModels(rows)}\n`);
      }
      case 'show': {
        const detail = await client.call('models.show', { id: positionalId(parsed.positionals, command) });
        return o.flag('json') ? printJson(detail) : void process.stdout.write(`${formatModel(detail)}\n`);
      }
      default: {
        const id = positionalId(parsed.positionals, command);
        const removed = await client.call('models.remove', { id });
        return o.flag('json') ? printJson(removed) : void process.stdout.write(`removed model ${id}\n`);
      }
    }
  } finally {
    client.close();
  }
}

function formatModels(rows: readonly ModelRow[]): string {
  if (rows.length === 0) return 'no models imported (tppw models import FILE)';
  return align([
    ['id', 'name', 'format', 'params', 'MACs', 'sha256', 'source'],
    ...rows.map((m) => [String(m.id), m.name, m.format, String(m.params), String(m.macs), m.sha256.slice(0, 12), m.sourcePath]),
  ]).join('\n');
}

function formatModel(m: ModelDetail): string {
  const s = m.summary;
  const lines = [
    `model ${m.id}  ${m.name}  (${m.format}, sha256 ${m.sha256})`,
    `source   ${m.sourcePath}`,
    `input    ${s.input.name} ${s.input.shape.join('×')}  →  output ${s.output.name} ${s.output.shape.join('×')}`,
    `size     ${s.totals.nodes} nodes, ${s.totals.params} parameters, ${s.totals.macs} MACs, ${s.totals.spikingLayers} layers to convert`,
    ...(s.preprocessing ? [`input    x·${s.preprocessing.scale} + ${s.preprocessing.offset}`] : []),
    ...s.warnings.map((w) => `warning  ${w}`),
  ];
  return lines.join('\n');
}
