import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'tpp-workbench';
let found: string | undefined;

/**
 * The workbench's install folder (the one with its package.json), found upward from this module:
 * the same folder whether the code runs from its TypeScript sources (src-main/…) or from a build
 * (out/main, inside an app.asar too), so files shipped beside the code (assets/, out/renderer)
 * are found from either.
 */
export function installRoot(): string {
  if (found !== undefined) return found;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (found = dir);
    if (dirname(dir) === dir) throw new Error(`the ${PACKAGE_NAME} package.json was not found above ${__dirname}`);
  }
}
