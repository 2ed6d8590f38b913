import { invalidArgument } from '../common/errors';

/**
 * A strict argv parser: every option must be declared, values are checked when read, and the
 * first problem is one clear error. `--name value` and `--name=value` are both accepted.
 */
export type OptionKind = 'string' | 'flag';

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

export function parseArgs(argv: readonly string[], declared: Readonly<Record<string, OptionKind>>, command: string): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = declared[name];
    if (kind === undefined) {
      const known = Object.keys(declared).map((k) => `--${k}`).join(', ');
      throw invalidArgument(`${command}: unknown option --${name} (options: ${known || 'none'})`);
    }
    if (options.has(name)) throw invalidArgument(`${command}: --${name} is given twice`);
    if (kind === 'flag') {
      if (eq >= 0) throw invalidArgument(`${command}: --${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw invalidArgument(`${command}: --${name} needs a value`);
    options.set(name, value);
  }
  return { positionals, options };
}

export class Options {
  constructor(private readonly parsed: ParsedArgs, private readonly command: string) {}

  flag(name: string): boolean {
    return this.parsed.options.get(name) === true;
  }

  string(name: string): string | undefined {
    const v = this.parsed.options.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw invalidArgument(`${this.command}: --${name} is required`);
    return v;
  }

  number(name: string, check: (n: number) => boolean, what: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw invalidArgument(`${this.command}: --${name} ${v} is not ${what}`);
    return n;
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) {
      throw invalidArgument(`${this.command}: --${name} ${v} is not one of ${choices.join(', ')}`);
    }
    return v as T;
  }

  list<T>(name: string, parse: (item: string) => T | undefined, what: string): T[] | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const items = v.split(',').map((s) => s.trim());
    return items.map((item) => {
      const parsed = item === '' ? undefined : parse(item);
      if (parsed === undefined) throw invalidArgument(`${this.command}: --${name}: '${item}' is not ${what}`);
      return parsed;
    });
  }
}
