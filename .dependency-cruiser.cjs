/**
 * The layering of DESIGN.md, checked on every import (type-only imports included): `npm run lint`.
 *
 * Allowed, from the bottom up (each layer may import the ones before it, nothing after):
 *   common   – anywhere, no Node APIs, imports nothing outside common/
 *   formats  – bytes in, data out; Node APIs only in formats/node/
 *   datasets – common, formats
 *   engine   – common, formats, datasets
 *   store    – common, formats (storage of plain data: never the engine or the dataset readers)
 *   jobs     – common, formats, datasets, engine, store
 *   report   – common, formats, and the renderer's report and chart components (src-renderer/
 *              report, results), which it draws to HTML/SVG in Node and prints with Chromium
 *   service  – common, formats, datasets, store, jobs, report
 *   electron, server, cli – entry points (transports) over everything below; not each other,
 *              except that the CLI's `serve` command starts the server
 *   src-renderer – src-main/common only
 *   bench    – anything in src-main, never test/ helpers
 */
const layer = (name) => `^src-main/${name}/`;
const layers = (...names) => `^src-main/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'an import cycle (type-only imports count too)',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-is-self-contained',
      severity: 'error',
      comment: 'common/ runs anywhere (the renderer imports it): only common/ and no Node APIs',
      from: { path: layer('common') },
      to: { pathNot: [layer('common')] },
    },
    {
      name: 'formats-without-node',
      severity: 'error',
      comment: 'formats/ outside formats/node works on bytes: no Node APIs',
      from: { path: layer('formats'), pathNot: layer('formats/node') },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'formats-below-datasets',
      severity: 'error',
      from: { path: layer('formats') },
      to: { path: layers('datasets', 'engine', 'store', 'jobs', 'service', 'electron', 'server', 'cli') },
    },
    {
      name: 'datasets-below-engine',
      severity: 'error',
      from: { path: layer('datasets') },
      to: { path: layers('engine', 'store', 'jobs', 'service', 'electron', 'server', 'cli') },
    },
    {
      name: 'engine-below-store',
      severity: 'error',
      from: { path: layer('engine') },
      to: { path: layers('store', 'jobs', 'service', 'electron', 'server', 'cli') },
    },
    {
      name: 'store-holds-plain-data',
      severity: 'error',
      comment: 'store/ keeps data; it does not import the engine or the dataset readers',
      from: { path: layer('store') },
      to: { path: layers('datasets', 'engine', 'jobs', 'service', 'electron', 'server', 'cli') },
    },
    {
      name: 'jobs-below-service',
      severity: 'error',
      from: { path: layer('jobs') },
      to: { path: layers('service', 'electron', 'server', 'cli') },
    },
    {
      name: 'service-below-transports',
      severity: 'error',
      comment: 'the service implements the contract; it never calls the engine directly (jobs do)',
      from: { path: layer('service') },
      to: { path: layers('engine', 'electron', 'server', 'cli') },
    },
    {
      name: 'report-draws-only',
      severity: 'error',
      comment: 'report/ draws the renderer\'s report components and prints them: no store, engine, jobs or transports',
      from: { path: layer('report') },
      to: { path: layers('datasets', 'engine', 'store', 'jobs', 'service', 'electron', 'server', 'cli') },
    },
    {
      name: 'report-above-the-lower-layers',
      severity: 'error',
      from: { path: layers('common', 'formats', 'datasets', 'engine', 'store') },
      to: { path: layer('report') },
    },
    {
      name: 'renderer-code-only-through-report',
      severity: 'error',
      comment: 'Node code reaches renderer components only through report/ (which draws them)',
      from: { path: '^src-main/', pathNot: layer('report') },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'report-takes-renderer-report-and-charts',
      severity: 'error',
      from: { path: layer('report') },
      to: { path: '^src-renderer/', pathNot: '^src-renderer/(report|results)/' },
    },
    {
      name: 'electron-apart',
      severity: 'error',
      comment: 'electron/, server/ and cli/ are separate transports (both serve the built renderer through server/static-files)',
      from: { path: layer('electron') },
      to: { path: layers('server', 'cli'), pathNot: '^src-main/server/static-files\\.ts$' },
    },
    {
      name: 'server-apart',
      severity: 'error',
      from: { path: layer('server') },
      to: { path: layers('electron', 'cli') },
    },
    {
      name: 'cli-not-electron',
      severity: 'error',
      comment: 'the CLI may start the HTTP server (tppw serve), never the desktop shell',
      from: { path: layer('cli') },
      to: { path: layer('electron') },
    },
    {
      name: 'renderer-sees-common-only',
      severity: 'error',
      comment: 'the renderer imports src-main/common only (types, schemas, pure helpers)',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', pathNot: layer('common') },
    },
    {
      name: 'renderer-without-node',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'bench-without-test-helpers',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
