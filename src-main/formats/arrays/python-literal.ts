import { invalidData } from '../../common/errors';

/**
 * The subset of Python literal syntax that NumPy writes in `.npy` headers: dicts, lists, tuples,
 * quoted strings, integers, True/False/None. (NumPy writes the header with `repr()` of a dict.)
 */
export type PyValue = string | number | boolean | null | PyValue[] | { readonly [key: string]: PyValue };

export function parsePythonLiteral(text: string, source: string): PyValue {
  let pos = 0;
  const fail = (why: string): never => {
    throw invalidData(`${source}: cannot read the header literal at character ${pos}: ${why}`);
  };
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const value = (): PyValue => {
    skip();
    const c = text[pos];
    if (c === undefined) return fail('unexpected end');
    if (c === '{') return dict();
    if (c === '[' || c === '(') return sequence(c === '[' ? ']' : ')');
    if (c === "'" || c === '"') return string(c);
    const word = /^(True|False|None|-?\d+)/.exec(text.slice(pos));
    if (word === null) return fail(`unexpected '${c}'`);
    pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0]);
  };
  const string = (quote: string): string => {
    pos++;
    let out = '';
    while (pos < text.length && text[pos] !== quote) {
      if (text[pos] === '\\') pos++;
      out += text[pos] ?? '';
      pos++;
    }
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return out;
  };
  const sequence = (close: string): PyValue[] => {
    pos++;
    const items: PyValue[] = [];
    for (;;) {
      skip();
      if (text[pos] === close) {
        pos++;
        return items;
      }
      items.push(value());
      skip();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
    }
  };
  const dict = (): { [key: string]: PyValue } => {
    pos++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      skip();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      const key = value();
      if (typeof key !== 'string') fail('dict keys must be strings');
      skip();
      if (text[pos] !== ':') fail("expected ':'");
      pos++;
      out[key as string] = value();
      skip();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== '}') fail("expected ',' or '}'");
    }
  };
  const result = value();
  skip();
  if (pos !== text.length) fail('trailing characters');
  return result;
}
