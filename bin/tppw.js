#!/usr/bin/env node
// Launcher for the `tppw` command. It runs the built CLI (out/main/cli.js, from `npm run build`)
// when that is newer than every source under src-main and src-renderer (the report drawing
// thread bundles renderer code), because a bundle starts in a fraction of the time (its
// simulation threads too); otherwise, the sources through tsx's require hook.
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtCli() {
  const built = join(root, 'out', 'main', 'cli.js');
  try {
    const sources = Math.max(newestSource(join(root, 'src-main')), newestSource(join(root, 'src-renderer')));
    return statSync(built).mtimeMs >= sources ? built : undefined;
  } catch {
    return undefined;
  }
}

const built = builtCli();
if (built === undefined) require('tsx/cjs');
const { main } = require(built ?? join(root, 'src-main', 'cli', 'main.ts'));
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
