import type { DatasetDetail, ModelDetail, RunDetail, RunStart } from '../contract';
import { thresholdLabel } from '../snn';

/**
 * The exact commands that run a stored study again: `tppw runs start` on the same registered
 * model and dataset (this data directory), and `tppw convert` from the files themselves. Every
 * option the run was started with is spelled out, defaults included, so a later default change
 * cannot alter what the command means.
 */
export function rerunCommands(run: RunDetail, model: ModelDetail | undefined, dataset: DatasetDetail | undefined, dataDir: string): { label: string; command: string }[] {
  const c = run.config;
  const study = studyOptions(c);
  const data = dataOptions(c);
  // The CLI numbers seeds 0..N-1; a run started with other seeds (through the service) says so.
  const seedNote = c.study.seeds.every((seed, i) => seed === i) ? '' : ` (this run used seeds ${c.study.seeds.join(', ')}; the CLI numbers seeds from 0)`;
  const commands = [{ label: `in this data directory${seedNote}`, command: ['tppw runs start', `--model ${c.modelId}`, `--dataset ${c.datasetId}`, ...study, ...data, `--data-dir ${quote(dataDir)}`, '--watch'].join(' ') }];
  if (model !== undefined && dataset !== undefined) {
    commands.push({ label: `from the files (model SHA-256 ${model.sha256.slice(0, 12)}…)${seedNote}`, command: ['tppw convert', `--model ${quote(model.sourcePath)}`, `--dataset ${quote(dataset.path)}`, ...study, ...data].join(' ') });
  }
  return commands;
}

function studyOptions(c: RunStart): string[] {
  const s = c.study;
  return [
    `--method ${s.methods.join(',')}`,
    `--timesteps ${s.timesteps.join(',')}`,
    `--threshold ${thresholdLabel(s.threshold)}`,
    ...(s.perChannel ? ['--per-channel'] : []),
    `--reset ${s.reset}`,
    ...(s.v0 !== undefined ? [`--v0 ${s.v0 === 'half' ? 'half' : '0'}`] : []),
    ...(s.shift ? ['--shift'] : []),
    `--encoding ${s.encoding}`,
    `--permute ${s.permute}`,
    `--maxpool ${s.maxPool}`,
    `--limit ${c.limit}`,
    ...(c.sampleSeed !== undefined ? [`--sample-seed ${c.sampleSeed}`] : []),
    `--calibration ${c.calibration}`,
    `--seeds ${s.seeds.length}`,
  ];
}

function dataOptions(c: RunStart): string[] {
  const out: string[] = [];
  if (c.split !== undefined) out.push(`--split ${c.split}`);
  if (c.transform !== undefined) out.push(`--scale ${c.transform.scale}`, `--offset ${c.transform.offset}`);
  if (c.input === 'steps') out.push('--event-input steps');
  const f = c.frames;
  if (f !== undefined) {
    if (f.size !== undefined) out.push(`--frame-size ${f.size.width}x${f.size.height}`);
    if (f.polarity !== 'two-channels') out.push(`--polarity ${f.polarity}`);
    if (f.split !== 'count') out.push(`--frame-split ${f.split}`);
  }
  const i = c.images;
  if (i?.resize !== undefined) out.push(`--resize ${i.resize}`);
  if (i?.crop !== undefined) out.push(`--crop ${i.crop}`);
  if (i?.channels !== undefined) out.push(`--channels ${i.channels}`);
  return out;
}

/** A path as a POSIX shell reads it back unchanged. */
function quote(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
