import type { ModelDetail, ModelRow } from '../../common/contract';
import { align } from '../report-table';
import { registryCommand } from './registry';

export const MODELS_USAGE = `tppw models import FILE [--weights W] [--name N] [--detach]
                              import a model (a copy of its IR is kept in the data directory);
                              --weights: the weights file (model.save_weights, .h5) of a Keras
                              architecture JSON FILE
tppw models list | show ID | remove ID`;

export function modelsCommand(argv: readonly string[]): Promise<void> {
  return registryCommand(argv, {
    noun: 'models',
    what: 'model FILE',
    importOptions: { name: 'string', weights: 'string' },
    start: (client, path, o) => {
      const name = o.string('name');
      const weights = o.string('weights');
      return client.call('models.import', { path, ...(weights ? { weights } : {}), ...(name ? { name } : {}) });
    },
    produced: (job) => job.result!.modelId!,
    list: (client) => client.call('models.list', {}),
    show: (client, id) => client.call('models.show', { id }),
    remove: (client, id) => client.call('models.remove', { id }),
    formatList: formatModels,
    formatDetail: formatModel,
    removedMessage: (id) => `removed model ${id}`,
  });
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
