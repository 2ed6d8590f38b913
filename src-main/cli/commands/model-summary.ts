import { invalidArgument } from '../../common/errors';
import { summarizeModel, type ModelSummary } from '../../common/ir/summary';
import { loadModelFile } from '../../formats/node/load-model';
import { Options, parseArgs } from '../args';
import { fmtCount } from '../report-table';

export const MODEL_SUMMARY_USAGE = 'tppw model summary FILE [--json]   nodes, shapes, parameters, MACs and conversion warnings';

export async function modelCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'summary') throw invalidArgument(`model: unknown subcommand '${sub ?? ''}' (usage: ${MODEL_SUMMARY_USAGE})`);
  const parsed = parseArgs(rest, { json: 'flag' }, 'model summary');
  if (parsed.positionals.length !== 1) throw invalidArgument(`model summary: expects one model FILE, got ${parsed.positionals.length}`);
  const { graph, snn } = await loadModelFile(parsed.positionals[0]!);
  const summary = summarizeModel(graph, snn);
  process.stdout.write(new Options(parsed, 'model summary').flag('json') ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
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
