#!/usr/bin/env node
// Launcher for the `tppw` command: runs the TypeScript CLI through tsx's require hook.
require('tsx/cjs');
const { main } = require('../src-main/cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
