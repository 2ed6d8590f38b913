import { invalidArgument } from '../../common/errors';
import { loadImageArrays } from '../../datasets/array-files';
import { loadModelFile } from '../../formats/node/load-model';
import { Options, parseArgs } from '../args';
import { RUN_OPTIONS, calibrationIndices, readRunSettings } from '../run-settings';
import { runAndReport } from './run-and-report';

export const CONVERT_USAGE = `tppw convert --model FILE --images PATH --labels PATH [options]
  --scale S --offset O       input transform x·S + O (default: what the model records, else 1 and 0)
  --layout nchw|nhwc         how 4-D image arrays are stored (default: decided from the channel axis)
  --calib-images PATH --calib-labels PATH
                             calibration data (default: the last --calibration samples of --images)
  --method LIST              if, if-permute, tpp, tpp-iid (default: all)
  --timesteps LIST           e.g. 1,2,4,8 (default: 1,2,4,8,16,32,64)
  --seeds N                  seeds 0..N-1 for stochastic methods (default 3)
  --threshold M              max | pXX.X | qcfs | snnc (default p99.9)
  --per-channel              one threshold per channel instead of per layer
  --reset subtract|zero      IF reset (default subtract)
  --v0 0|half                initial potential 0 or θ/2 (default 0)
  --shift                    add θ/(2T) to the input current every step
  --encoding direct|rate     input coding (default direct)
  --permute neuron|layer     Permute probe granularity (default neuron)
  --maxpool refuse|avg       refuse max pooling, or replace it by average pooling
  --limit N                  evaluate the first N samples (default 1000)
  --calibration N            calibration samples (default 256)
  --backend auto|tensorflow|wasm|cpu
  --workers N                simulation threads (default: one per core; 1 on tensorflow)
  --json                     print the result as one JSON object
  --out FILE                 also write the JSON result to FILE
  --save-snn FILE            save the converted network (.tppw; per-T SNNC conversions as FILE.T<n>)`;

export async function convertCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, { ...RUN_OPTIONS, model: 'string', images: 'string', labels: 'string', scale: 'string', offset: 'string', layout: 'string', 'calib-images': 'string', 'calib-labels': 'string' }, 'convert');
  if (parsed.positionals.length > 0) throw invalidArgument(`convert: unexpected argument '${parsed.positionals[0]}'`);
  const o = new Options(parsed, 'convert');
  const settings = readRunSettings(o, { limit: 1000, seeds: 3, calibration: 256 });
  const modelPath = o.required('model');
  const images = o.required('images');
  const labels = o.required('labels');
  const layout = o.choice('layout', ['nchw', 'nhwc'] as const) ?? 'auto';
  const scaleFlag = o.number('scale', Number.isFinite, 'a number');
  const offsetFlag = o.number('offset', Number.isFinite, 'a number');
  const calibImages = o.string('calib-images');
  const calibLabels = o.string('calib-labels');
  if ((calibImages === undefined) !== (calibLabels === undefined)) {
    throw invalidArgument('convert: --calib-images and --calib-labels go together');
  }

  const { graph } = await loadModelFile(modelPath);
  const transform = {
    scale: scaleFlag ?? graph.preprocessing?.scale ?? 1,
    offset: offsetFlag ?? graph.preprocessing?.offset ?? 0,
  };
  const warnings: string[] = [];
  if (scaleFlag === undefined && offsetFlag === undefined && graph.preprocessing === undefined) {
    warnings.push('the model does not record its input scaling and none was given: using x·1 + 0 (pass --scale/--offset)');
  }
  const data = loadImageArrays({ images, labels, transform, layout });
  let calibration;
  if (calibImages !== undefined && calibLabels !== undefined) {
    const set = loadImageArrays({ images: calibImages, labels: calibLabels, transform, layout });
    calibration = { set, indices: Int32Array.from({ length: Math.min(settings.calibration, set.count) }, (_, i) => i), source: calibImages };
  } else {
    const picked = calibrationIndices(data, Math.min(settings.limit, data.count), settings.calibration);
    if (picked.overlaps) warnings.push(`calibration samples overlap the evaluated ones (${data.count} samples in ${images}); pass --calib-images/--calib-labels for a separate set`);
    calibration = { set: data, indices: picked.indices, source: `${images} (last ${picked.indices.length})` };
  }
  await runAndReport({ settings, graph, data, calibration, extraWarnings: warnings });
}
