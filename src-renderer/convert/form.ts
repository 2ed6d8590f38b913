import type { HandlerInput, RunStart } from '../../src-main/common/contract';
import { METHODS, type Method } from '../../src-main/common/methods';
import { estimateWork, planStudy, type WorkEstimate } from '../../src-main/common/plan';
import { parseThresholdMethod, thresholdLabel } from '../../src-main/common/snn';
import { MISALIGNMENT_THRESHOLDS, misalignmentArms } from '../../src-main/common/misalignment';
import type { MaxPoolPolicy, PercentileOf, PermuteMode, SnncMode } from '../../src-main/common/study';

/**
 * The Convert form as text fields, its defaults, its validation (every field checked before
 * anything is sent, each problem next to its field) and the estimate of the work it asks for.
 */
export interface ConvertForm {
  modelId: string;
  datasetId: string;
  methods: Method[];
  threshold: string;
  perChannel: boolean;
  reset: 'subtract' | 'zero';
  /** `default`: θ/2 for QCFS thresholds, else 0. */
  v0: 'default' | 'zero' | 'half';
  timesteps: string;
  seeds: string;
  limit: string;
  calibration: string;
  split: '' | 'test' | 'train' | 'all';
  scale: string;
  offset: string;
  input: 'static' | 'steps';
  maxPool: MaxPoolPolicy;
  /** Percentile thresholds over the positive activations or all of them. */
  percentileOf: PercentileOf;
  /** SNNC calibration after the thresholds. */
  snnc: SnncMode;
  /** Add θ/(2T) to the input current every step. */
  shift: boolean;
  encoding: 'direct' | 'rate';
  permute: PermuteMode;
  /** Empty: the first samples; a number: a seeded random subset. */
  sampleSeed: string;
  /** Empty: no attribution study; a T of the time steps: where accuracy goes at that T. */
  attribution: string;
  /** Empty: unnamed. */
  name: string;
  /** Event datasets: frame size `WxH` (empty: the sensor's), polarity channels, how T frames cut a sample. */
  frameSize: string;
  polarity: 'two-channels' | 'signed' | 'merged';
  frameSplit: 'count' | 'time';
  /** Image folders: shorter side, centred crop, channels (empty: as stored). */
  resize: string;
  crop: string;
  channels: '' | '1' | '3';
}

export type FormErrors = Partial<Record<keyof ConvertForm, string>>;

export function defaultForm(modelId?: number, datasetId?: number): ConvertForm {
  return {
    modelId: modelId ? String(modelId) : '',
    datasetId: datasetId ? String(datasetId) : '',
    methods: ['if', 'tpp'],
    threshold: 'p99.9',
    perChannel: false,
    reset: 'subtract',
    v0: 'default',
    timesteps: '1, 2, 4, 8, 16, 32',
    seeds: '3',
    limit: '1000',
    calibration: '256',
    split: '',
    scale: '',
    offset: '',
    input: 'static',
    maxPool: 'refuse',
    percentileOf: 'positive',
    snnc: 'none',
    shift: false,
    encoding: 'direct',
    permute: 'neuron',
    sampleSeed: '',
    attribution: '',
    name: '',
    frameSize: '',
    polarity: 'two-channels',
    frameSplit: 'count',
    resize: '',
    crop: '',
    channels: '',
  };
}

const intIn = (text: string, min: number, max: number): number | undefined => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

export function validateForm(form: ConvertForm): { errors: FormErrors; args?: HandlerInput<'runs.start'> } {
  const errors: FormErrors = {};
  const modelId = intIn(form.modelId, 1, Number.MAX_SAFE_INTEGER);
  if (modelId === undefined) errors.modelId = 'choose a model';
  const datasetId = intIn(form.datasetId, 1, Number.MAX_SAFE_INTEGER);
  if (datasetId === undefined) errors.datasetId = 'choose a dataset';
  const methods = METHODS.filter((m) => form.methods.includes(m));
  if (methods.length === 0) errors.methods = 'pick at least one method';
  const threshold = parseThresholdMethod(form.threshold.trim());
  if (threshold === undefined) errors.threshold = 'max, qcfs, snnc, or a percentile such as p99.9';
  const parts = form.timesteps.split(/[\s,]+/).filter((s) => s !== '');
  const timesteps = parts.map((s) => intIn(s, 1, 4096));
  if (parts.length === 0 || timesteps.some((t) => t === undefined)) errors.timesteps = 'whole numbers from 1 to 4096, separated by commas';
  const seeds = intIn(form.seeds, 1, 100);
  if (seeds === undefined) errors.seeds = 'a number of seeds from 1 to 100';
  const limit = intIn(form.limit, 1, 10_000_000);
  if (limit === undefined) errors.limit = 'a positive whole number';
  const calibration = intIn(form.calibration, 1, 1_000_000);
  if (calibration === undefined) errors.calibration = 'a positive whole number';
  const scale = form.scale.trim() === '' ? undefined : Number(form.scale);
  const offset = form.offset.trim() === '' ? undefined : Number(form.offset);
  if (scale !== undefined && !Number.isFinite(scale)) errors.scale = 'a number, e.g. 0.00392157 for x/255';
  if (offset !== undefined && !Number.isFinite(offset)) errors.offset = 'a number';
  if ((scale === undefined) !== (offset === undefined) && !errors.scale && !errors.offset) errors[scale === undefined ? 'scale' : 'offset'] = 'give scale and offset together';
  const sampleSeed = form.sampleSeed.trim() === '' ? undefined : intIn(form.sampleSeed, 0, 2 ** 31 - 1);
  if (form.sampleSeed.trim() !== '' && sampleSeed === undefined) errors.sampleSeed = 'a whole number from 0, or empty for the first samples';
  const attribution = form.attribution.trim() === '' ? undefined : intIn(form.attribution, 1, 4096);
  if (form.attribution.trim() !== '' && (attribution === undefined || !timesteps.includes(attribution))) errors.attribution = 'one of the time steps T, or empty for none';
  const size = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(form.frameSize);
  const frameSize = size ? { width: Number(size[1]), height: Number(size[2]) } : undefined;
  if (form.frameSize.trim() !== '' && (frameSize === undefined || frameSize.width < 1 || frameSize.height < 1)) errors.frameSize = 'width × height, e.g. 34x34, or empty for the sensor size';
  const resize = form.resize.trim() === '' ? undefined : intIn(form.resize, 1, 4096);
  if (form.resize.trim() !== '' && resize === undefined) errors.resize = 'a side in pixels from 1 to 4096, or empty';
  const crop = form.crop.trim() === '' ? undefined : intIn(form.crop, 1, 4096);
  if (form.crop.trim() !== '' && crop === undefined) errors.crop = 'a side in pixels from 1 to 4096, or empty';
  if (resize !== undefined && crop !== undefined && crop > resize) errors.crop = `at most the resized side (${resize})`;
  if (form.name.trim().length > 200) errors.name = 'at most 200 characters';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    args: {
      modelId: modelId!,
      datasetId: datasetId!,
      study: {
        methods,
        timesteps: [...new Set(timesteps as number[])].sort((a, b) => a - b),
        seeds: Array.from({ length: seeds! }, (_, i) => i),
        threshold: threshold!,
        perChannel: form.perChannel,
        reset: form.reset,
        ...(form.v0 !== 'default' ? { v0: form.v0 } : {}),
        shift: form.shift,
        encoding: form.encoding,
        permute: form.permute,
        maxPool: form.maxPool,
        percentileOf: form.percentileOf,
        snnc: form.snnc,
        ...(attribution !== undefined ? { attribution } : {}),
      },
      limit: limit!,
      calibration: calibration!,
      input: form.input,
      ...(sampleSeed !== undefined ? { sampleSeed } : {}),
      ...(form.split ? { split: form.split } : {}),
      frames: { polarity: form.polarity, split: form.frameSplit, ...(frameSize !== undefined ? { size: frameSize } : {}) },
      ...(resize !== undefined || crop !== undefined || form.channels !== ''
        ? { images: { ...(resize !== undefined ? { resize } : {}), ...(crop !== undefined ? { crop } : {}), ...(form.channels !== '' ? { channels: Number(form.channels) as 1 | 3 } : {}) } }
        : {}),
      ...(scale !== undefined && offset !== undefined ? { transform: { scale, offset } } : {}),
      ...(form.name.trim() !== '' ? { name: form.name.trim() } : {}),
    },
  };
}

/** The work a study asks for over the samples it will evaluate, planned as the engine plans it
 * (the attribution study's cut networks included, one per spiking layer of the model but the last). */
export function studyWork(args: HandlerInput<'runs.start'>, samples: number, model: { readonly macs: number; readonly spikingLayers: number }): WorkEstimate {
  return estimateWork(planStudy(args.study, args.input ?? 'static', model.spikingLayers), Math.min(samples, args.limit ?? 1000), model.macs);
}

/**
 * The paper's comparison as runs (the GUI's preset of `tppw study misalignment`): from the form's
 * model, data, time steps, seeds and settings, one run per threshold method (p99.9 and snnc),
 * calibration (none, and the form's SNNC mode or light) and v0 (0 with IF, IF+Permute, TPP and
 * TPP-iid; θ/2 with IF and IF+Permute).
 */
export function paperComparison(args: HandlerInput<'runs.start'>): HandlerInput<'runs.start'>[] {
  const { study } = args;
  const arms = misalignmentArms({
    timesteps: study.timesteps,
    seeds: study.seeds,
    thresholds: MISALIGNMENT_THRESHOLDS,
    snnc: study.snnc === undefined || study.snnc === 'none' ? 'light' : study.snnc,
    base: { perChannel: study.perChannel, reset: study.reset, shift: study.shift, encoding: study.encoding, permute: study.permute, maxPool: study.maxPool, percentileOf: study.percentileOf },
  });
  return arms.map((arm) => ({ ...args, study: { ...arm.study, methods: [...arm.study.methods], timesteps: [...arm.study.timesteps], seeds: [...arm.study.seeds] } }));
}

/** The form filled in from a run's settings: edit and re-run. */
export function formFromRun(start: RunStart): ConvertForm {
  const { study } = start;
  const base = defaultForm(start.modelId, start.datasetId);
  return {
    ...base,
    methods: [...study.methods],
    threshold: thresholdLabel(study.threshold),
    perChannel: study.perChannel,
    reset: study.reset,
    v0: study.v0 ?? 'default',
    timesteps: study.timesteps.join(', '),
    seeds: String(study.seeds.length),
    limit: String(start.limit),
    calibration: String(start.calibration),
    split: start.split ?? '',
    scale: start.transform ? String(start.transform.scale) : '',
    offset: start.transform ? String(start.transform.offset) : '',
    input: start.input,
    maxPool: study.maxPool,
    percentileOf: study.percentileOf ?? 'positive',
    snnc: study.snnc ?? 'none',
    shift: study.shift,
    encoding: study.encoding,
    permute: study.permute,
    sampleSeed: start.sampleSeed === undefined ? '' : String(start.sampleSeed),
    attribution: study.attribution === undefined ? '' : String(study.attribution),
    name: start.name ?? '',
    frameSize: start.frames?.size ? `${start.frames.size.width}x${start.frames.size.height}` : '',
    polarity: start.frames?.polarity ?? 'two-channels',
    frameSplit: start.frames?.split ?? 'count',
    resize: start.images?.resize === undefined ? '' : String(start.images.resize),
    crop: start.images?.crop === undefined ? '' : String(start.images.crop),
    channels: start.images?.channels === undefined ? '' : (String(start.images.channels) as '1' | '3'),
  };
}
