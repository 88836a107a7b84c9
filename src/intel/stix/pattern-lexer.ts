export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at offset ${position}`);
  }
}

export interface Token {
  kind:
    | 'word'
    | 'string'
    | 'int'
    | 'float'
    | 'timestamp'
    | 'hex'
    | 'binary'
    | 'op'
    | '['
    | ']'
    | '('
    | ')'
    | ','
    | ':'
    | '.'
    | 'eof';
  text: string;
  pos: number;
}

const TIMESTAMP_RE =
  /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

function readQuoted(src: string, start: number): { text: string; end: number } {
  let out = '';
  let i = start + 1;
  for (;;) {
    const q = src.indexOf("'", i);
    if (q < 0) throw new PatternSyntaxError('unterminated string', start);
    const seg = src.slice(i, q);
    const bs = seg.indexOf('\\');
    if (bs < 0) return { text: out + seg, end: q + 1 };
    const n = src[i + bs + 1];
    if (n !== "'" && n !== '\\') throw new PatternSyntaxError(`bad escape '\\${n ?? ''}' in string`, i + bs);
    out += seg.slice(0, bs) + n;
    i += bs + 2;
  }
}

function readPrefixed(src: string, i: number, prefix: string): Token {
  const q = readQuoted(src, i + 1);
  const t = q.text;
  if (prefix === 't') {
    if (!TIMESTAMP_RE.test(t)) throw new PatternSyntaxError(`bad timestamp '${t}'`, i);
    return { kind: 'timestamp', text: t, pos: i };
  }
  if (prefix === 'h') {
    if (!/^([0-9a-fA-F]{2})*$/.test(t)) throw new PatternSyntaxError('bad hex literal', i);
    return { kind: 'hex', text: t, pos: i };
  }
  if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t))
    throw new PatternSyntaxError('bad binary literal', i);
  return { kind: 'binary', text: t, pos: i };
}

const OP_RE = /<=|>=|!=|<>|=|<|>|\*/y;
const NUM_RE = /[-+]?\d+(\.\d+)?([eE][-+]?\d+)?/y;
const WORD_RE = /[A-Za-z_][A-Za-z0-9_-]*/y;
const SPACE_RE = /\s+/y;

/** Matches a sticky regex at `i` without copying the rest of the input (patterns can be long). */
function at(re: RegExp, src: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(src);
}

/** Splits a pattern into tokens; keywords are words, told apart by the parser. */
export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const space = at(SPACE_RE, src, i);
    if (space) {
      i += space[0].length;
      continue;
    }
    if ('[](),:.'.includes(c)) {
      toks.push({ kind: c as Token['kind'], text: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      const q = readQuoted(src, i);
      toks.push({ kind: 'string', text: q.text, pos: i });
      i = q.end;
      continue;
    }
    if ((c === 't' || c === 'h' || c === 'b') && src[i + 1] === "'") {
      toks.push(readPrefixed(src, i, c));
      i = readQuoted(src, i + 1).end;
      continue;
    }
    const op = at(OP_RE, src, i);
    if (op) {
      toks.push({ kind: 'op', text: op[0], pos: i });
      i += op[0].length;
      continue;
    }
    const num = at(NUM_RE, src, i);
    if (num && (c !== '-' && c !== '+' ? true : /\d/.test(src[i + 1] ?? ''))) {
      toks.push({
        kind: num[1] !== undefined || num[2] !== undefined ? 'float' : 'int',
        text: num[0],
        pos: i,
      });
      i += num[0].length;
      continue;
    }
    const word = at(WORD_RE, src, i);
    if (word) {
      toks.push({ kind: 'word', text: word[0], pos: i });
      i += word[0].length;
      continue;
    }
    throw new PatternSyntaxError(`unexpected character '${c}'`, i);
  }
  toks.push({ kind: 'eof', text: '', pos: src.length });
  return toks;
}
