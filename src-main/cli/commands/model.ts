import { invalidArgument } from '../../common/errors';
import { summarizeModel, type ModelSummary } from '../../common/ir/summary';
import { join } from 'node:path';
import { encodeModel } from '../../formats/model/tppw-model';
import { exportTfjsLayers } from '../../formats/model/tfjs/write-tfjs-layers';
import { writeBytesAtomic } from '../../formats/node/files';
import { MODEL_FORMATS, loadModelFile } from '../../formats/node/load-model';
import { Options, parseArgs } from '../args';
import { fmtCount } from '../report-table';

export const MODEL_USAGE = `tppw model summary FILE [--weights W] [--json]
                                  nodes, shapes, parameters, MACs and conversion warnings
tppw model export FILE --to tfjs|tppw --out PATH [--weights W]
                                  write the model as a TensorFlow.js layers model (PATH is a folder:
                                  model.json + model.weights.bin) or as a .tppw file
  FILE: ${MODEL_FORMATS}
  --weights W: the weights file (model.save_weights, .h5) of a Keras architecture JSON FILE`;

export async function modelCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'summary') return summaryCommand(rest);
  if (sub === 'export') return exportCommand(rest);
  throw invalidArgument(`model: unknown subcommand '${sub ?? ''}' (summary, export)`);
}

async function exportCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, { to: 'string', out: 'string', weights: 'string' }, 'model export');
  if (parsed.positionals.length !== 1) throw invalidArgument(`model export: expects one model FILE, got ${parsed.positionals.length}`);
  const o = new Options(parsed, 'model export');
  const to = o.choice('to', ['tfjs', 'tppw'] as const);
  if (to === undefined) throw invalidArgument('model export: --to tfjs|tppw is required');
  const out = o.required('out');
  const model = await loadModelFile(parsed.positionals[0]!, { weights: o.string('weights') });
  if (to === 'tppw') {
    writeBytesAtomic(out, encodeModel(model), 'model file');
    process.stdout.write(`wrote ${out}\n`);
    return;
  }
  const { modelJson, weights } = exportTfjsLayers(model.graph);
  writeBytesAtomic(join(out, 'model.weights.bin'), weights, 'weight shard');
  writeBytesAtomic(join(out, 'model.json'), `${JSON.stringify(modelJson)}\n`, 'model.json');
  process.stdout.write(`wrote ${join(out, 'model.json')} and ${join(out, 'model.weights.bin')} (${weights.length} bytes)\n`);
}

async function summaryCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, { json: 'flag', weights: 'string' }, 'model summary');
  if (parsed.positionals.length !== 1) throw invalidArgument(`model summary: expects one model FILE, got ${parsed.positionals.length}`);
  const o = new Options(parsed, 'model summary');
  const { graph, snn } = await loadModelFile(parsed.positionals[0]!, { weights: o.string('weights') });
  const summary = summarizeModel(graph, snn);
  process.stdout.write(o.flag('json') ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
}

function formatSummary(s: ModelSummary): string {
  const rows = [['node', 'op', 'input', 'output', 'params', 'MACs']];
  for (const n of s.nodes) {
    rows.push([n.name, n.op, n.inputShapes.map((x) => `[${x.join(',')}]`).join(' '), `[${n.outputShape.join(',')}]`, String(n.params), String(n.macs)]);
  }
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  const lines = [
    `model  ${s.name}`,
    `input  ${s.input.name} [${s.input.shape.join(', ')}]${s.preprocessing ? `, preprocessing x·${s.preprocessing.scale} + ${s.preprocessing.offset}` : ', preprocessing not recorded'}`,
    `output ${s.output.name} [${s.output.shape.join(', ')}]`,
    '',
    ...rows.map((r) => r.map((v, j) => (j < 2 ? v.padEnd(widths[j]!) : v.padStart(widths[j]!))).join('  ')),
    '',
    `${s.totals.nodes} nodes, ${fmtCount(s.totals.params)} parameters, ${fmtCount(s.totals.macs)} MACs per sample, ${s.totals.spikingLayers} activations to convert`,
  ];
  if (s.snn !== undefined) {
    const t = s.snn.thresholds;
    lines.push('', `spiking network: ${s.snn.encoding} coding; thresholds ${t.method} (${t.perChannel ? 'per channel' : 'per layer'}, ${t.calibrationSamples} calibration samples${t.timesteps ? `, tuned for T=${t.timesteps}` : ''})`);
    for (const l of s.snn.layers) {
      lines.push(`  ${l.node}: ${l.neuron}, reset ${l.reset}, v0 ${l.v0 === 'half' ? 'θ/2' : '0'}${l.shift ? ', shift θ/(2T)' : ''}, θ mean ${l.threshold.mean.toPrecision(4)} (${l.threshold.channels} value${l.threshold.channels > 1 ? 's' : ''})`);
    }
  }
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
