import { WorkbenchError } from '../common/errors';
import { CONVERT_USAGE, convertCommand } from './commands/convert';
import { DEMO_USAGE, demoCommand } from './commands/demo';
import { DATASET_USAGE, datasetCommand } from './commands/dataset';
import { INSPECT_USAGE, inspectCommand } from './commands/inspect';
import { MODEL_USAGE, modelCommand } from './commands/model';
import { DATASETS_USAGE, datasetsCommand } from './commands/registered-datasets';
import { MODELS_USAGE, modelsCommand } from './commands/registered-models';
import { RUNS_USAGE, runsCommand } from './commands/runs';
import { SERVE_USAGE, serveCommand } from './commands/serve';
import { SERVICE_USAGE } from './service-client';

const USAGE = `tppw — TPP Workbench command line

${DEMO_USAGE}

${MODEL_USAGE}

${INSPECT_USAGE}

${DATASET_USAGE}

${CONVERT_USAGE}

The workbench data directory (registered datasets and models, queued runs, results):

${DATASETS_USAGE}

${MODELS_USAGE}

${RUNS_USAGE}

Options of datasets, models and runs:
${SERVICE_USAGE}

${SERVE_USAGE}

Exit status: 0 on success, 2 for bad input (arguments, files, data), 1 for anything else.`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<void>> = {
  demo: demoCommand,
  model: modelCommand,
  convert: convertCommand,
  inspect: inspectCommand,
  dataset: datasetCommand,
  datasets: datasetsCommand,
  models: modelsCommand,
  runs: runsCommand,
  serve: serveCommand,
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new WorkbenchError('invalid_argument', `unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(', ')}; see tppw help)`);
    await run(rest);
    return 0;
  } catch (error) {
    if (error instanceof WorkbenchError) {
      process.stderr.write(`tppw ${command}: ${error.message}\n`);
      return error.kind === 'internal' ? 1 : 2;
    }
    // A bug, not bad input: say so in one line; TPPW_DEBUG=1 shows the stack.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tppw ${command}: internal error: ${message}\n`);
    if (process.env['TPPW_DEBUG']) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tppw: internal error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
