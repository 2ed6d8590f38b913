import type { HandlerInput, Job, RunDetail, RunRow } from '../../common/contract';
import { join } from 'node:path';
import { invalidArgument } from '../../common/errors';
import { METHODS } from '../../common/methods';
import { CSV_TABLES, FIGURES, NETWORK_FORMATS, REPORT_FORMATS, type ArtifactInfo } from '../../common/report/kinds';
import { thresholdLabel } from '../../common/snn';
import { Options, parseArgs, type OptionKind } from '../args';
import { FOLDER_OPTIONS, readFolderSettings } from '../data-source';
import { align, formatRunReport } from '../report-table';
import { RUN_OPTIONS, readRunSettings } from '../run-settings';
import { SERVICE_OPTIONS, ServiceClient, positionalId, printJson, settle } from '../service-client';

export const RUNS_USAGE = `tppw runs start --model ID --dataset ID [--name TEXT] [options] [--watch]
                              queue a conversion study on a registered model and dataset; study
                              options as tppw convert (--method, --timesteps, --seeds, --threshold,
                              --per-channel, --reset, --v0, --shift, --encoding, --permute, --maxpool,
                              --limit, --sample-seed, --calibration) and data options (--split,
                              --scale, --offset, --event-input, --frame-size, --polarity, --frame-split,
                              --resize, --crop, --channels)
tppw runs list [--limit N] | show ID | watch ID | cancel ID | resume ID [--watch]
                              watch: a live progress bar until the run ends, then its report
tppw runs report ID [ID…] --format html|pdf|csv|json|svg|png [--out PATH]
                              export a report of finished runs (kept under artifacts/ too):
                              html (one self-contained file), pdf (through Chromium), json (the
                              report model), csv (--table results|layers|spikes), or one figure
                              as svg or png (--figure accuracy|latency|energy|layers|heatmap);
                              --method M --T N choose the per-layer views (default: every method
                              at its largest T)
tppw runs export ID --to nir|tppw [--method if|if-permute|tpp|tpp-iid] [--T N] [--out PATH]
                              the converted network of a finished run, as NIR (HDF5) or .tppw
                              (default method if, T the largest; TPP and Permute have no NIR
                              primitive: the NIR file holds their IF skeleton, settings in metadata)`;

const STUDY_OPTIONS = Object.fromEntries(Object.entries(RUN_OPTIONS).filter(([k]) => !['backend', 'workers', 'out', 'save-snn', 'json'].includes(k)));
const START_OPTIONS: Record<string, OptionKind> = {
  ...STUDY_OPTIONS,
  model: 'string',
  dataset: 'string',
  name: 'string',
  ...FOLDER_OPTIONS,
  scale: 'string',
  offset: 'string',
  watch: 'flag',
};

const SUBCOMMANDS = ['start', 'list', 'show', 'watch', 'cancel', 'resume', 'report', 'export'];
const REPORT_OPTIONS: Record<string, OptionKind> = { format: 'string', figure: 'string', table: 'string', method: 'string', T: 'string', out: 'string' };
const EXPORT_OPTIONS: Record<string, OptionKind> = { to: 'string', method: 'string', T: 'string', out: 'string' };

export async function runsCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const command = `runs ${sub ?? ''}`.trim();
  if (!SUBCOMMANDS.includes(sub ?? '')) throw invalidArgument(`runs: unknown subcommand '${sub ?? ''}' (${SUBCOMMANDS.join(', ')})`);
  const extra: Record<string, OptionKind> =
    sub === 'start' ? START_OPTIONS : sub === 'list' ? { limit: 'string' } : sub === 'resume' ? { watch: 'flag' } : sub === 'report' ? REPORT_OPTIONS : sub === 'export' ? EXPORT_OPTIONS : {};
  const parsed = parseArgs(rest, { ...SERVICE_OPTIONS, ...extra }, command);
  const o = new Options(parsed, command);
  const client = ServiceClient.open(o);
  const json = o.flag('json');
  try {
    switch (sub) {
      case 'start': {
        if (parsed.positionals.length > 0) throw invalidArgument(`runs start: unexpected argument '${parsed.positionals[0]}'`);
        const job = await client.call('runs.start', startArgs(o));
        return o.flag('watch') ? await watch(client, job, json) : printJob(job, json);
      }
      case 'list': {
        if (parsed.positionals.length > 0) throw invalidArgument(`runs list: unexpected argument '${parsed.positionals[0]}'`);
        const limit = o.number('limit', (n) => Number.isInteger(n) && n > 0 && n <= 10000, 'an integer in 1..10000') ?? 100;
        const rows = await client.call('runs.list', { limit });
        return json ? printJson(rows) : void process.stdout.write(`${formatRuns(rows)}\n`);
      }
      case 'show': {
        const run = await client.call('runs.show', { id: positionalId(parsed.positionals, command) });
        return json ? printJson(run) : void process.stdout.write(`${formatRun(run)}\n`);
      }
      case 'watch': {
        const run = await client.call('runs.show', { id: positionalId(parsed.positionals, command) });
        return await watch(client, run.job, json);
      }
      case 'cancel': {
        const job = await client.call('runs.cancel', { id: positionalId(parsed.positionals, command) });
        return printJob(job, json);
      }
      case 'report': {
        if (parsed.positionals.length === 0) throw invalidArgument('runs report: give the IDs of the runs to report');
        const ids = parsed.positionals.map((p) => positionalId([p], command));
        const format = o.choice('format', REPORT_FORMATS);
        if (format === undefined) throw invalidArgument(`runs report: --format is required (${REPORT_FORMATS.join(', ')})`);
        const artifact = await client.call('runs.report', {
          ids,
          format,
          ...optionalChoice('figure', o.choice('figure', FIGURES)),
          ...optionalChoice('table', o.choice('table', CSV_TABLES)),
          ...optionalChoice('method', o.choice('method', METHODS)),
          ...optionalChoice('T', o.number('T', (n) => Number.isInteger(n) && n > 0, 'a positive integer')),
          ...optionalChoice('out', o.string('out')),
        });
        return printArtifact(client, artifact, json);
      }
      case 'export': {
        const to = o.choice('to', NETWORK_FORMATS);
        if (to === undefined) throw invalidArgument(`runs export: --to is required (${NETWORK_FORMATS.join(', ')})`);
        const artifact = await client.call('runs.export', {
          id: positionalId(parsed.positionals, command),
          to,
          ...optionalChoice('method', o.choice('method', METHODS)),
          ...optionalChoice('T', o.number('T', (n) => Number.isInteger(n) && n > 0, 'a positive integer')),
          ...optionalChoice('out', o.string('out')),
        });
        for (const note of artifact.notes) process.stderr.write(`note: ${note}\n`);
        return printArtifact(client, artifact, json);
      }
      default: {
        const job = await client.call('runs.resume', { id: positionalId(parsed.positionals, command) });
        return o.flag('watch') ? await watch(client, job, json) : printJob(job, json);
      }
    }
  } finally {
    client.close();
  }
}

function optionalChoice<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Where the export went: the --out file, and its copy in the data directory. */
function printArtifact(client: ServiceClient, artifact: ArtifactInfo, json: boolean): void {
  if (json) return printJson(artifact);
  const kept = join(client.dataDir, artifact.path);
  process.stdout.write(artifact.writtenTo !== undefined ? `wrote ${artifact.writtenTo} (${artifact.bytes} bytes; also kept as ${kept}, artifact ${artifact.id})\n` : `wrote ${kept} (${artifact.bytes} bytes, artifact ${artifact.id})\n`);
}

function startArgs(o: Options): HandlerInput<'runs.start'> {
  const id = (name: string): number => {
    const v = o.number(name, (n) => Number.isInteger(n) && n > 0, 'an ID (a positive integer)');
    if (v === undefined) throw invalidArgument(`runs start: --${name} ID is required`);
    return v;
  };
  const s = readRunSettings(o, { limit: 1000, seeds: 3, calibration: 256 });
  const scale = o.number('scale', Number.isFinite, 'a number');
  const offset = o.number('offset', Number.isFinite, 'a number');
  if ((scale === undefined) !== (offset === undefined)) throw invalidArgument('runs start: --scale and --offset go together');
  const folder = readFolderSettings(o, 'runs start');
  return {
    modelId: id('model'),
    datasetId: id('dataset'),
    study: { ...s.study, methods: [...s.study.methods], timesteps: [...s.study.timesteps], seeds: [...s.study.seeds] },
    limit: s.limit,
    calibration: s.calibration,
    ...(s.sampleSeed !== undefined ? { sampleSeed: s.sampleSeed } : {}),
    ...(folder.split ? { split: folder.split } : {}),
    input: folder.input,
    ...(scale !== undefined && offset !== undefined ? { transform: { scale, offset } } : {}),
    frames: folder.frames,
    images: folder.images,
    ...(o.string('name')?.trim() ? { name: o.string('name')!.trim() } : {}),
  };
}

async function watch(client: ServiceClient, job: Job, json: boolean): Promise<void> {
  const done = settle(await client.follow(job.id));
  const run = await client.call('runs.show', { id: done.result!.conversionId! });
  if (json) return printJson(run);
  process.stdout.write(`${run.result ? formatRunReport(run.result) : formatRun(run)}\n`);
}

function printJob(job: Job, json: boolean): void {
  if (json) return printJson(job);
  const run = job.result?.conversionId;
  process.stdout.write(`job ${job.id}${run !== undefined ? ` (run ${run})` : ''}: ${job.status}${run !== undefined && (job.status === 'queued' || job.status === 'running') ? `; follow it with tppw runs watch ${run}` : ''}\n`);
}

function formatRuns(rows: readonly RunRow[]): string {
  if (rows.length === 0) return 'no runs yet (tppw runs start --model ID --dataset ID)';
  return align([
    ['run', 'name', 'status', 'progress', 'model', 'dataset', 'methods', 'T', 'units done', 'created'],
    ...rows.map((r) => [
      String(r.id),
      r.name ?? '',
      r.job.status,
      r.job.progress && r.job.status === 'running' ? `${r.job.progress.step} ${((100 * r.job.progress.current) / Math.max(1, r.job.progress.total)).toFixed(0)}%` : '',
      String(r.modelId),
      String(r.datasetId),
      r.methods.join(','),
      r.timesteps.join(','),
      `${r.unitsDone}/${r.unitsPlanned}`,
      r.createdAt.replace('T', ' ').slice(0, 19),
    ]),
  ]).join('\n');
}

function formatRun(run: RunDetail): string {
  if (run.result !== null) return formatRunReport(run.result);
  const c = run.config;
  const lines = [
    `run ${run.id}${run.name !== undefined ? ` (${run.name})` : ''}  ${run.job.status}${run.job.error ? `: ${run.job.error.message}` : ''}`,
    `model ${run.modelId}, dataset ${run.datasetId}; ${c.study.methods.join(', ')} at T = ${c.study.timesteps.join(', ')}; seeds ${c.study.seeds.join(', ')}; thresholds ${thresholdLabel(c.study.threshold)}`,
    `${run.unitsDone} of ${run.unitsPlanned} units stored`,
  ];
  if (run.measured.length > 0) {
    lines.push('', ...align([['method', 'T', 'seed', 'accuracy'], ...run.measured.map((m) => [m.method, String(m.T), String(m.seed), `${(100 * m.accuracy).toFixed(2)}%`])]));
  }
  return lines.join('\n');
}
