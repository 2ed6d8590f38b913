import { WorkbenchError } from '../common/errors';
import { fileError } from '../formats/node/files';
import { CONVERT_USAGE, convertCommand } from './commands/convert';
import { DEMO_USAGE, demoCommand } from './commands/demo';
import { DATASET_USAGE, datasetCommand } from './commands/dataset';
import { INSPECT_USAGE, inspectCommand } from './commands/inspect';
import { MODEL_USAGE, modelCommand } from './commands/model';
import { DATASETS_USAGE, datasetsCommand } from './commands/registered-datasets';
import { MODELS_USAGE, modelsCommand } from './commands/registered-models';
import { RUNS_USAGE, runsCommand } from './commands/runs';
import { SERVE_USAGE, serveCommand } from './commands/serve';
import { STUDY_USAGE, studyCommand } from './commands/study';
import { SERVICE_USAGE } from './service-client';

const USAGE = `tppw — TPP Workbench command line

${DEMO_USAGE}

${MODEL_USAGE}

${INSPECT_USAGE}

${DATASET_USAGE}

${CONVERT_USAGE}

${STUDY_USAGE}

The workbench data directory (registered datasets and models, queued runs, results):

${DATASETS_USAGE}

${MODELS_USAGE}

${RUNS_USAGE}

Options of datasets, models and runs:
${SERVICE_USAGE}

${SERVE_USAGE}

Exit status: 0 on success, 2 for bad input (arguments, files, data), 1 for anything else.`;

interface Command {
  readonly run: (argv: readonly string[]) => Promise<void>;
  /** What `tppw COMMAND [SUBCOMMAND] --help` prints. */
  readonly usage: string;
}

const SERVICE_OPTIONS = `Options:\n${SERVICE_USAGE}`;

const COMMANDS: Record<string, Command> = {
  demo: { run: demoCommand, usage: `${DEMO_USAGE}\n\nConversion options:\n${CONVERT_USAGE.split('\n').slice(1).join('\n')}` },
  model: { run: modelCommand, usage: MODEL_USAGE },
  convert: { run: convertCommand, usage: CONVERT_USAGE },
  study: { run: studyCommand, usage: STUDY_USAGE },
  inspect: { run: inspectCommand, usage: INSPECT_USAGE },
  dataset: { run: datasetCommand, usage: DATASET_USAGE },
  datasets: { run: datasetsCommand, usage: `${DATASETS_USAGE}\n${SERVICE_OPTIONS}` },
  models: { run: modelsCommand, usage: `${MODELS_USAGE}\n${SERVICE_OPTIONS}` },
  runs: { run: runsCommand, usage: `${RUNS_USAGE}\n${SERVICE_OPTIONS}` },
  serve: { run: serveCommand, usage: SERVE_USAGE },
};

/** `--help` or `-h` anywhere among a command's arguments asks for its usage, not for work. */
function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/**
 * A file-system error that escaped without naming what it was about (EACCES, EISDIR, …) is about
 * an input or output path the user gave: bad input, said in one line, never an internal error.
 */
const PATH_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'ENOSPC', 'EROFS']);

function asFileError(error: unknown): WorkbenchError | undefined {
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string' || !PATH_ERRORS.has(code)) return undefined;
  return fileError(error, path, 'file');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const entry = COMMANDS[command];
  try {
    if (entry === undefined) throw new WorkbenchError('invalid_argument', `unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(', ')}; see tppw help)`);
    if (asksForHelp(rest)) {
      process.stdout.write(`${entry.usage}\n`);
      return 0;
    }
    await entry.run(rest);
    return 0;
  } catch (caught) {
    const error = asFileError(caught) ?? caught;
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
