/** A benchmark's `--name value` options, read from its command line (`--name` absent: the fallback). */
export function benchOption(name: string, fallback: string, argv: readonly string[] = process.argv.slice(2)): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}
