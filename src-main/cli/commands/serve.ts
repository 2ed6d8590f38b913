import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { invalidArgument } from '../../common/errors';
import { installRoot } from '../../formats/node/install-root';
import { startBridge } from '../../server/http-bridge';
import { WorkbenchService } from '../../service/service';
import { defaultDataDir } from '../../store/data-dir';
import { Options, parseArgs } from '../args';

export const SERVE_USAGE = `tppw serve [--port N] [--host 127.0.0.1] [--root DIR${delimiter}DIR…] [--data-dir DIR]
                              the HTTP bridge for browser mode: prints a URL with this launch's token;
                              requests may name files only under --root (default: the current folder);
                              serves the built renderer (npm run build:renderer); Ctrl-C stops it`;

export async function serveCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, { port: 'string', host: 'string', root: 'string', 'data-dir': 'string' }, 'serve');
  if (parsed.positionals.length > 0) throw invalidArgument(`serve: unexpected argument '${parsed.positionals[0]}'`);
  const o = new Options(parsed, 'serve');
  const port = o.number('port', (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number (0..65535)') ?? 8765;
  const host = o.string('host') ?? '127.0.0.1';
  const roots = (o.string('root') ?? process.cwd()).split(delimiter).filter((r) => r !== '').map((r) => resolve(r));
  for (const root of roots) if (!existsSync(root)) throw invalidArgument(`serve: --root ${root} does not exist`);
  const service = new WorkbenchService({ dataDir: o.string('data-dir') ?? defaultDataDir(), roots });
  const rendererDir = join(installRoot(), 'out', 'renderer');
  let bridge;
  try {
    bridge = await startBridge({ service, host, port, ...(existsSync(rendererDir) ? { staticDir: rendererDir } : {}) });
  } catch (error) {
    service.close();
    throw error;
  }
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') process.stderr.write(`warning: listening on ${host}, beyond this machine; anyone with the token can use the workbench\n`);
  process.stdout.write(`TPP Workbench on ${bridge.url}\ndata directory ${service.store.dir.root}; files readable under ${roots.join(', ')}\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      void bridge.close().then(() => {
        service.close();
        done();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
