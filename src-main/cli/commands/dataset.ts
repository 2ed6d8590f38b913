import { invalidArgument } from '../../common/errors';
import type { EventLayout } from '../../common/datasets';
import { indexEventDataset } from '../../datasets/event-layouts';
import { measureEventDataset, type MeasuredIndex } from '../../datasets/measure';
import { writeBytesAtomic } from '../../formats/node/files';
import { Options, parseArgs } from '../args';

export const DATASET_USAGE = `tppw dataset index PATH [--layout L] [--out FILE] [--skip-bad] [--json]
                              index an event dataset folder: samples per split and class, event
                              counts and durations; --out writes the index for --dataset-index;
                              --skip-bad leaves unreadable samples out (and lists them)`;

export async function datasetCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'index') throw invalidArgument(`dataset: unknown subcommand '${sub ?? ''}' (index)`);
  const parsed = parseArgs(rest, { layout: 'string', out: 'string', 'skip-bad': 'flag', json: 'flag' }, 'dataset index');
  if (parsed.positionals.length !== 1) throw invalidArgument(`dataset index: expects one dataset PATH, got ${parsed.positionals.length}`);
  const o = new Options(parsed, 'dataset index');
  const layout = o.choice('layout', ['nmnist', 'ncaltech101', 'cifar10-dvs', 'dvs-gesture', 'class-folders'] as const) as EventLayout | undefined;
  const index = measureEventDataset(indexEventDataset(parsed.positionals[0]!, layout), (done, total) => {
    if (done % 100 === 0 || done === total) process.stderr.write(`indexed ${done}/${total}\r`);
  }, { skipBad: o.flag('skip-bad') });
  process.stderr.write('\n');
  const out = o.string('out');
  if (out !== undefined) writeBytesAtomic(out, `${JSON.stringify(index)}\n`, 'index file');
  const summary = summarize(index);
  process.stdout.write(o.flag('json') ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
}

function summarize(index: MeasuredIndex) {
  const splits: Record<string, { samples: number; events: number; durationUs: number; perClass: number[] }> = {};
  for (const s of index.samples) {
    const split = (splits[s.split] ??= { samples: 0, events: 0, durationUs: 0, perClass: new Array<number>(index.classes.length).fill(0) });
    split.samples++;
    split.events += s.events;
    split.durationUs += s.durationUs;
    split.perClass[s.label]!++;
  }
  return {
    root: index.root,
    layout: index.layout,
    sensor: index.sensor,
    classes: index.classes,
    samples: index.samples.length,
    skipped: index.skipped,
    warnings: index.warnings ?? [],
    splits: Object.fromEntries(Object.entries(splits).map(([k, v]) => [k, { ...v, meanEvents: v.events / v.samples, meanDurationUs: v.durationUs / v.samples }])),
  };
}

function formatSummary(s: ReturnType<typeof summarize>): string {
  const lines = [`dataset   ${s.root}`, `layout    ${s.layout}`, `sensor    ${s.sensor.width > 0 ? `${s.sensor.width} × ${s.sensor.height}` : 'inferred from the samples'}`, `classes   ${s.classes.length}: ${s.classes.slice(0, 12).join(', ')}${s.classes.length > 12 ? ', …' : ''}`];
  for (const [name, v] of Object.entries(s.splits)) {
    lines.push(`${name.padEnd(9)} ${v.samples} samples, ${Math.round(v.meanEvents)} events and ${(v.meanDurationUs / 1000).toFixed(1)} ms on average; per class ${v.perClass.join(' ')}`);
  }
  for (const w of s.warnings) lines.push(`warning   ${w}`);
  if (s.skipped.length > 0) lines.push(`skipped   ${s.skipped.length} unreadable sample(s):`, ...s.skipped.map((k) => `  ${k.file}: ${k.reason}`));
  return lines.join('\n');
}
