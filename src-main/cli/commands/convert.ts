import { invalidArgument } from '../../common/errors';
import { loadModelFile } from '../../formats/node/load-model';
import { Options, parseArgs } from '../args';
import { DATA_OPTIONS, DATA_USAGE, openDataSource } from '../data-source';
import { RUN_OPTIONS, readRunSettings } from '../run-settings';
import { prestartSimulation, runAndReport } from './run-and-report';

export const CONVERT_USAGE = `tppw convert --model FILE (--images PATH --labels PATH | --dataset PATH) [options]
  --weights W                the weights file (model.save_weights, .h5) of a Keras architecture JSON --model
${DATA_USAGE}
  --method LIST              if, if-permute, tpp, tpp-iid (default: all)
  --timesteps LIST           e.g. 1,2,4,8 (default: 1,2,4,8,16,32,64)
  --seeds N                  seeds 0..N-1 for stochastic methods (default 3)
  --threshold M              max | pXX.X | qcfs | snnc (default p99.9)
  --percentile-of positive|all  pXX.X over the positive activations (SNN Toolbox) or all of them,
                             zeros included (SpikingJelly's 99.9%) (default positive)
  --snnc none|light|advanced SNN calibration after the thresholds, per T on the calibration samples:
                             light corrects each channel's bias, advanced each neuron's v0 (default none)
  --attribution T            where accuracy goes at T (one of --timesteps): the accuracy when only the first
                             l spiking layers spike and the rest run as the ANN, for every l (first seed)
  --per-channel              one threshold per channel instead of per layer
  --reset subtract|zero      IF reset (default subtract)
  --v0 0|half                initial potential 0 or θ/2 (default θ/2 with --threshold qcfs, else 0)
  --shift                    add θ/(2T) to the input current every step
  --encoding direct|rate     input coding (default direct)
  --permute neuron|layer     Permute probe granularity (default neuron)
  --maxpool refuse|avg|exact|spiking
                             max pooling: refuse it; replace it by average pooling; keep it exact
                             where it sees a constant analog input (moved before the activation
                             after the first conv; an error naming any other); spiking: exact
                             there, max over accumulated spike counts elsewhere (default refuse)
  --limit N                  evaluate the first N samples (default 1000)
  --sample-seed S            evaluate a seeded random subset of N samples instead
  --calibration N            calibration samples (default 256)
  --backend auto|webgpu|tensorflow|wasm|cpu
  --workers N                simulation threads (default: one per core; 1 on tensorflow)
  --json                     print the result as one JSON object
  --out FILE                 also write the JSON result to FILE
  --save-snn FILE            save the converted network (.tppw, with its input transform; SNNC
                             writes one file per T: snn.tppw → snn.T4.tppw, snn.T8.tppw; --snnc
                             one per T and neuron: snn.T4.if.tppw, snn.T4.tpp.tppw); a .nir
                             FILE is written as NIR (HDF5: the IF network, settings in metadata)`;

export async function convertCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, { ...RUN_OPTIONS, ...DATA_OPTIONS, model: 'string', weights: 'string' }, 'convert');
  if (parsed.positionals.length > 0) throw invalidArgument(`convert: unexpected argument '${parsed.positionals[0]}'`);
  const o = new Options(parsed, 'convert');
  const settings = readRunSettings(o, { limit: 1000, seeds: 3, calibration: 256 });
  prestartSimulation(settings);
  const { graph } = await loadModelFile(o.required('model'), { weights: o.string('weights') });
  const source = openDataSource(o, graph, settings);
  await runAndReport({ settings, graph, data: source.data, calibration: source.calibration, input: source.input, warnings: source.warnings });
}
