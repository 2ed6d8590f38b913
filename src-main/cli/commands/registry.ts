import type { Job } from '../../common/contract';
import { invalidArgument } from '../../common/errors';
import { Options, parseArgs, type OptionKind } from '../args';
import { SERVICE_OPTIONS, ServiceClient, positionalId, printJson, settle } from '../service-client';

/**
 * The shape `tppw datasets` and `tppw models` share: import (a job, followed to its end unless
 * --detach), list, show ID, remove ID, each with --json.
 */
export interface RegistrySpec<Row, Detail> {
  /** `datasets` or `models`. */
  readonly noun: string;
  /** What the import argument is, for messages: `dataset folder`, `model FILE`. */
  readonly what: string;
  readonly importOptions: Record<string, OptionKind>;
  start(client: ServiceClient, path: string, o: Options): Promise<Job>;
  /** The id the finished import job produced. */
  produced(job: Job): number;
  list(client: ServiceClient): Promise<Row[]>;
  show(client: ServiceClient, id: number): Promise<Detail>;
  remove(client: ServiceClient, id: number): Promise<{ removed: number }>;
  formatList(rows: readonly Row[]): string;
  formatDetail(detail: Detail): string;
  removedMessage(id: number): string;
}

export async function registryCommand<Row, Detail>(argv: readonly string[], spec: RegistrySpec<Row, Detail>): Promise<void> {
  const [sub, ...rest] = argv;
  const command = `${spec.noun} ${sub ?? ''}`.trim();
  if (!['import', 'list', 'show', 'remove'].includes(sub ?? '')) throw invalidArgument(`${spec.noun}: unknown subcommand '${sub ?? ''}' (import, list, show, remove)`);
  const declared = { ...SERVICE_OPTIONS, ...(sub === 'import' ? { ...spec.importOptions, detach: 'flag' as const } : {}) };
  const parsed = parseArgs(rest, declared, command);
  const o = new Options(parsed, command);
  const print = (value: unknown, text: () => string): void => (o.flag('json') ? printJson(value) : void process.stdout.write(`${text()}\n`));
  const client = ServiceClient.open(o);
  try {
    switch (sub) {
      case 'import': {
        if (parsed.positionals.length !== 1) throw invalidArgument(`${command}: expects one ${spec.what}, got ${parsed.positionals.length} arguments`);
        const job = await spec.start(client, parsed.positionals[0]!, o);
        if (o.flag('detach')) return print(job, () => `queued job ${job.id}`);
        const detail = await spec.show(client, spec.produced(settle(await client.follow(job.id))));
        return print(detail, () => spec.formatDetail(detail));
      }
      case 'list': {
        if (parsed.positionals.length > 0) throw invalidArgument(`${command}: unexpected argument '${parsed.positionals[0]}'`);
        const rows = await spec.list(client);
        return print(rows, () => spec.formatList(rows));
      }
      case 'show': {
        const detail = await spec.show(client, positionalId(parsed.positionals, command));
        return print(detail, () => spec.formatDetail(detail));
      }
      default: {
        const id = positionalId(parsed.positionals, command);
        const removed = await spec.remove(client, id);
        return print(removed, () => spec.removedMessage(id));
      }
    }
  } finally {
    client.close();
  }
}
