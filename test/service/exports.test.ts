import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src-main/common/contract';
import type { WorkbenchService } from '../../src-main/service/service';
import { DEMO_MODEL_FILE, openService, registerMnistAndDemo, failure, removeDir, study, tempDataDir, waitForJob } from '../helpers/workbench';

/**
 * Exports of a real finished run (the demo CNN on 100 MNIST test digits), each file opened and
 * checked with a tool other than the workbench: pdftotext for the PDF, the PNG signature and IHDR,
 * h5wasm's own reading of the NIR file, the model file's SHA-256 from node:crypto.
 */
let dir: string;
let service: WorkbenchService;
let run: RunDetail;
const out = (name: string): string => join(dir, 'out', name);
const have = (cmd: string): boolean => {
  try {
    execFileSync('which', [cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dir = tempDataDir();
  mkdirSync(join(dir, 'out'));
  service = openService(dir);
  const ids = await registerMnistAndDemo(service);
  const started = await service.call('runs.start', { ...ids, limit: 100, calibration: 64, study: study({ methods: ['if', 'tpp'], timesteps: [4, 8] }) });
  const job = await waitForJob(service, started.id);
  if (job.status !== 'succeeded') throw new Error(`run failed: ${JSON.stringify(job.error)}`);
  run = await service.call('runs.show', { id: started.result!.conversionId! });
}, 240_000);

afterAll(() => {
  service?.close();
  removeDir(dir);
});

describe('exports of a finished run', () => {
  it('HTML: one self-contained file with the model card, the settings, vector charts and the command that re-runs it', async () => {
    const a = await service.call('runs.report', { ids: [run.id], format: 'html', out: out('report.html') });
    const html = readFileSync(out('report.html'), 'utf8');
    expect(readFileSync(join(dir, a.path), 'utf8')).toBe(html);
    expect(a).toMatchObject({ kind: 'report', mediaType: expect.stringMatching(/^text\/html/), bytes: Buffer.byteLength(html) });
    // Nothing fetched from anywhere: no external scripts, styles, fonts or images.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(\s*['"]?https?:|<img[^>]+src=['"]?https?:/i);
    // The card's hash is of the IR the workbench stored (for a .tppw, the imported file's copy).
    const stored = readdirSync(join(dir, 'artifacts', 'models')).find((f) => f.endsWith('.tppw'))!;
    const sha = createHash('sha256').update(readFileSync(join(dir, 'artifacts', 'models', stored))).digest('hex');
    expect(html).toContain(sha);
    expect(html).toContain(DEMO_MODEL_FILE);
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(html).toContain('tppw runs start');
    for (const r of run.result!.results) expect(html).toContain(`${(r.accuracy.mean * 100).toFixed(1)}`);
    // The run is headed by the registered model's name, not the graph name inside the file.
    const registered = await service.call('models.show', { id: run.modelId });
    expect(registered.name).not.toBe(run.result!.model);
    expect(html).toContain(`Run #${run.id}: ${registered.name} on`);
  });

  it('CSV: tidy long tables with headers, one row per (method, T, seed)', async () => {
    await service.call('runs.report', { ids: [run.id], format: 'csv', table: 'results', out: out('results.csv') });
    const lines = readFileSync(out('results.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    expect(header).toEqual(expect.arrayContaining(['run', 'method', 'T', 'seed', 'accuracy', 'top5_mean', 'firing_rate', 'sops', 'energy_pj', 'latency_steps']));
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])));
    expect(rows.length).toBe(run.result!.results.reduce((n, r) => n + r.perSeed.length, 0));
    const registered = await service.call('models.show', { id: run.modelId });
    expect(new Set(rows.map((row) => row['model']))).toEqual(new Set([registered.name]));
    for (const r of run.result!.results) {
      const mine = rows.filter((row) => row['method'] === r.method && Number(row['T']) === r.T);
      const mean = mine.reduce((s, row) => s + Number(row['accuracy']), 0) / mine.length;
      expect(mean).toBeCloseTo(r.accuracy.mean, 6);
    }
    await service.call('runs.report', { ids: [run.id], format: 'csv', table: 'layers', out: out('layers.csv') });
    const layers = readFileSync(out('layers.csv'), 'utf8').trim().split('\n');
    expect(layers.length - 1).toBe(run.result!.results.reduce((n, r) => n + r.perLayer.length, 0));
  });

  it.skipIf(!have('pdftotext'))('PDF: selectable text with the model card and vector charts (pdftotext)', async () => {
    await service.call('runs.report', { ids: [run.id], format: 'pdf', out: out('report.pdf') });
    const bytes = readFileSync(out('report.pdf'));
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', out('report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('mnist-cnn.tppw');
    expect(text).toMatch(/tppw runs start/);
    // Vector charts: pdftotext reads their axis labels as text, which a raster image would not give.
    expect(text).toMatch(/time steps/i);
  }, 120_000);

  it('SVG and PNG: one figure alone, for a paper', async () => {
    await service.call('runs.report', { ids: [run.id], format: 'svg', figure: 'accuracy', out: out('accuracy.svg') });
    const svg = readFileSync(out('accuracy.svg'), 'utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/<path|<polyline|<line/);
    await service.call('runs.report', { ids: [run.id], format: 'png', figure: 'heatmap', out: out('heatmap.png') });
    const png = readFileSync(out('heatmap.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(200); // IHDR width
  }, 120_000);

  it('NIR: the converted network with its thresholds for that T, as HDF5 that h5wasm reads', async () => {
    const a = await service.call('runs.export', { id: run.id, method: 'if', T: 8, to: 'nir', out: out('net.nir') });
    expect(a.kind).toBe('network');
    const h5 = await import('h5wasm/node');
    await h5.ready;
    const file = new h5.File(out('net.nir'), 'r');
    try {
      const nodes = file.get('node/nodes') as InstanceType<typeof h5.Group>;
      const types = nodes.keys().map((k) => String((nodes.get(`${k}/type`) as InstanceType<typeof h5.Dataset>).value));
      expect(types).toEqual(expect.arrayContaining(['Input', 'Output', 'Conv2d', 'Affine', 'IF']));
      // nir.write's layout: edges an (n, 2) array of node names, every name a node.
      const edges = file.get('node/edges') as InstanceType<typeof h5.Dataset>;
      expect(edges.shape?.[1]).toBe(2);
      expect(edges.shape?.[0]).toBeGreaterThanOrEqual(types.length - 1);
      const names = new Set(nodes.keys());
      for (const name of edges.value as string[]) expect(names.has(name)).toBe(true);
      // The thresholds of T = 8, as the run stored them: one IF node per spiking layer.
      const thresholds = run.result!.results.find((r) => r.method === 'if' && r.T === 8)!.perLayer.map((l) => l.threshold.mean);
      const ifNodes = nodes.keys().filter((k) => String((nodes.get(`${k}/type`) as InstanceType<typeof h5.Dataset>).value) === 'IF');
      const stored = ifNodes.map((k) => (nodes.get(`${k}/v_threshold`) as InstanceType<typeof h5.Dataset>).value as Float32Array);
      const means = stored.map((v) => v.reduce((a, b) => a + b, 0) / v.length).sort((a, b) => a - b);
      const expected = [...thresholds].sort((a, b) => a - b);
      expect(means.length).toBe(expected.length);
      means.forEach((m, i) => expect(m).toBeCloseTo(expected[i]!, 4));
    } finally {
      file.close();
    }
    const tppw = await service.call('runs.export', { id: run.id, method: 'tpp', to: 'tppw', out: out('net.tppw') });
    expect(tppw.fileName).toMatch(/tpp-T8\.tppw$/);
    // The exported .tppw imports back as a model.
    const job = await service.call('models.import', { path: out('net.tppw') });
    expect((await waitForJob(service, job.id)).status).toBe('succeeded');
  }, 120_000);

  it('refuses an unknown run, a run that did not run the method, and an unwritable path, writing nothing', async () => {
    const before = readdirSync(join(dir, 'out')).length;
    expect(await failure(service.call('runs.report', { ids: [999], format: 'html' }))).toMatchObject({ kind: 'not_found', message: 'there is no run 999' });
    expect(await failure(service.call('runs.export', { id: run.id, method: 'tpp-iid', to: 'nir' }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/did not run tpp-iid/) });
    expect(await failure(service.call('runs.report', { ids: [run.id], format: 'svg' }))).toMatchObject({ kind: 'invalid_argument', message: expect.stringMatching(/give figure/) });
    // Below a plain file: no folder can be made there, whoever runs the test (root included).
    writeFileSync(join(dir, 'plain'), 'x');
    const exportsBefore = readdirSync(join(dir, 'artifacts', 'runs', String(run.id), 'exports')).length;
    const refused = await failure(service.call('runs.report', { ids: [run.id], format: 'html', out: join(dir, 'plain', 'r.html') }));
    expect(refused.message).toMatch(/plain/);
    expect(refused.message).not.toMatch(/\n\s+at /);
    expect(readdirSync(join(dir, 'out')).length).toBe(before);
    expect(readdirSync(join(dir, 'artifacts', 'runs', String(run.id), 'exports')).length).toBe(exportsBefore);
  });
});
