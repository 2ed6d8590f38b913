import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm run lint:electron`: Electronegativity (Doyensec's checker of Electron's security checklist)
 * over the desktop app's sources — main, preload, the service entry and the renderer's HTML in one
 * folder, because its global checks (CSP, navigation limits, permission handler) look across
 * the whole input. It exits 0 even with findings, so this reads its SARIF output and fails on any
 * finding not justified in .ci/electronegativity-justified.json, on a justification that matches
 * no finding, and on a file it could not parse (it would be skipped silently).
 */
const ROOT = resolve(__dirname, '..');
const ELECTRON_VERSION = '41.7.1';
const work = join(ROOT, 'out', 'electronegativity');
const input = join(work, 'input');
const report = join(work, 'findings.sarif');

interface Finding {
  readonly check: string;
  readonly file: string;
  readonly line: number | undefined;
  readonly message: string;
}

interface Justification {
  readonly check: string;
  readonly file: string;
  readonly reason: string;
}

rmSync(work, { recursive: true, force: true });
mkdirSync(input, { recursive: true });
cpSync(join(ROOT, 'src-main', 'electron'), input, { recursive: true });
cpSync(join(ROOT, 'src-renderer', 'index.html'), join(input, 'renderer', 'index.html'));

const cli = join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
// LANG picks its message catalogue (en-US); it also tries to fetch translations and Electron's
// release list, and goes on without them offline.
const electronegativity = (args: string[]) =>
  spawnSync(process.execPath, [cli, '--input', input, '--electron-version', ELECTRON_VERSION, '--relative', '--verbose', 'false', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } });
const problems: string[] = [];
const scan = electronegativity(['--output', report]);
if (scan.status !== 0) problems.push(`electronegativity exited with ${scan.status}: ${scan.stdout}${scan.stderr}`.trim());
// With --output it prints nothing, not even the files it could not parse: a second, printing run tells.
const printed = electronegativity([]);
for (const line of `${printed.stdout}\n${printed.stderr}`.split('\n')) if (/error parsing/i.test(line)) problems.push(`not checked: ${line.trim()}`);

const findings = readFindings(report);
const justified = (JSON.parse(readFileSync(join(ROOT, '.ci', 'electronegativity-justified.json'), 'utf8')) as { justified: Justification[] }).justified;
const matches = (f: Finding, j: Justification): boolean => f.check === j.check && f.file === j.file;
let unjustified = 0;
for (const f of findings) {
  const where = `${f.check} ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`;
  const why = justified.find((j) => matches(f, j));
  console.log(`${why ? 'justified' : 'FINDING  '} ${where}`);
  if (why) continue;
  unjustified++;
  problems.push(`${where} (fix it, or justify it in .ci/electronegativity-justified.json)`);
}
for (const j of justified) if (!findings.some((f) => matches(f, j))) problems.push(`the justification for ${j.check} in ${j.file} matches no finding any more: remove it`);

console.log(`electronegativity ${ELECTRON_VERSION}: ${findings.length} finding(s), ${unjustified} not justified; report in ${report}`);
if (problems.length > 0) {
  for (const p of problems) console.error(`lint:electron: ${p}`);
  process.exit(1);
}

function readFindings(file: string): Finding[] {
  let sarif: { runs: { results: { ruleId: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }[] }[] }[] };
  try {
    sarif = JSON.parse(readFileSync(file, 'utf8')) as typeof sarif;
  } catch (error) {
    console.error(`lint:electron: no readable report at ${file} (${(error as Error).message}); electronegativity said: ${scan.stdout}${scan.stderr}`);
    process.exit(1);
  }
  return sarif.runs.flatMap((r) =>
    r.results.map((x) => {
      const where = x.locations?.[0]?.physicalLocation;
      return { check: x.ruleId, file: where?.artifactLocation.uri ?? '', line: where?.region?.startLine, message: x.message.text };
    }),
  );
}
