/**
 * STIX 2.1 patterning: a recursive-descent parser for the grammar of the spec (section 9),
 * following the OASIS ANTLR grammar (cti-stix2-json-schemas pattern_grammar/STIXPattern.g4):
 * observation expressions joined by AND / OR / FOLLOWEDBY with WITHIN, REPEATS and START/STOP
 * qualifiers; comparison expressions with = != <> < <= > >= IN LIKE MATCHES ISSUBSET
 * ISSUPERSET EXISTS and NOT; string, int, float, bool, t'', h'' and b'' literals; object paths
 * with dotted, quoted and [n] / [*] components.
 */
import { PatternSyntaxError, tokenize, type Token } from './pattern-lexer.js';

export { PatternSyntaxError };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'timestamp'; value: string }
  | { kind: 'hex'; value: string }
  | { kind: 'binary'; value: string };

export type PathStep = { kind: 'prop'; name: string } | { kind: 'index'; index: number | '*' };

export interface ObjectPath {
  objectType: string;
  steps: PathStep[];
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type Comparison =
  | { kind: 'and' | 'or'; left: Comparison; right: Comparison }
  | { kind: 'compare'; path: ObjectPath; op: CompareOp; negated: boolean; value: Literal }
  | { kind: 'in'; path: ObjectPath; negated: boolean; values: Literal[] }
  | { kind: 'exists'; path: ObjectPath };

export type Qualifier =
  | { kind: 'within'; seconds: number }
  | { kind: 'repeats'; times: number }
  | { kind: 'startstop'; start: string; stop: string };

export type Observation =
  | { kind: 'observation'; comparison: Comparison; qualifiers: Qualifier[] }
  | { kind: 'and' | 'or' | 'followedby'; left: Observation; right: Observation; qualifiers: Qualifier[] };

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i] ?? { kind: 'eof', text: '', pos: -1 };
  }
  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }
  private isKw(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === word && /^[A-Z]+$/.test(t.text);
  }
  private expect(kind: Token['kind'], text?: string): Token {
    const t = this.next();
    if (t.kind !== kind || (text !== undefined && t.text !== text)) {
      throw new PatternSyntaxError(
        `expected ${text ?? kind}, found ${t.kind === 'eof' ? 'end of pattern' : `'${t.text}'`}`,
        t.pos,
      );
    }
    return t;
  }

  parsePattern(): Observation {
    const obs = this.observations();
    const t = this.peek();
    if (t.kind !== 'eof') throw new PatternSyntaxError(`unexpected '${t.text}'`, t.pos);
    return obs;
  }

  private observations(): Observation {
    let left = this.observationOr();
    while (this.isKw('FOLLOWEDBY')) {
      this.next();
      left = { kind: 'followedby', left, right: this.observationOr(), qualifiers: [] };
    }
    return left;
  }
  private observationOr(): Observation {
    let left = this.observationAnd();
    while (this.isKw('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.observationAnd(), qualifiers: [] };
    }
    return left;
  }
  private observationAnd(): Observation {
    let left = this.observation();
    while (this.isKw('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.observation(), qualifiers: [] };
    }
    return left;
  }
  private observation(): Observation {
    const t = this.peek();
    let obs: Observation;
    if (t.kind === '[') {
      this.next();
      const comparison = this.comparisonOr();
      this.expect(']');
      obs = { kind: 'observation', comparison, qualifiers: [] };
    } else if (t.kind === '(') {
      this.next();
      obs = this.observations();
      this.expect(')');
    } else {
      throw new PatternSyntaxError(
        `expected '[' or '(', found ${t.kind === 'eof' ? 'end of pattern' : `'${t.text}'`}`,
        t.pos,
      );
    }
    const qualifiers = this.qualifiers();
    return qualifiers.length === 0 ? obs : { ...obs, qualifiers: [...obs.qualifiers, ...qualifiers] };
  }
  private qualifiers(): Qualifier[] {
    const out: Qualifier[] = [];
    for (;;) {
      if (this.isKw('WITHIN')) {
        this.next();
        const n = this.number();
        this.keyword('SECONDS');
        if (n <= 0)
          throw new PatternSyntaxError('WITHIN needs a positive number of seconds', this.peek().pos);
        out.push({ kind: 'within', seconds: n });
      } else if (this.isKw('REPEATS')) {
        this.next();
        const n = this.number();
        if (!Number.isInteger(n) || n <= 0)
          throw new PatternSyntaxError('REPEATS needs a positive integer', this.peek().pos);
        this.keyword('TIMES');
        out.push({ kind: 'repeats', times: n });
      } else if (this.isKw('START')) {
        this.next();
        const start = this.timestamp();
        this.keyword('STOP');
        out.push({ kind: 'startstop', start, stop: this.timestamp() });
      } else {
        return out;
      }
    }
  }
  private keyword(word: string): void {
    if (!this.isKw(word)) throw new PatternSyntaxError(`expected ${word}`, this.peek().pos);
    this.next();
  }
  private number(): number {
    const t = this.next();
    if (t.kind !== 'int' && t.kind !== 'float') throw new PatternSyntaxError('expected a number', t.pos);
    return Number(t.text);
  }
  private timestamp(): string {
    const t = this.next();
    if (t.kind !== 'timestamp') throw new PatternSyntaxError("expected t'…' timestamp", t.pos);
    return t.text;
  }

  private comparisonOr(): Comparison {
    let left = this.comparisonAnd();
    while (this.isKw('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.comparisonAnd() };
    }
    return left;
  }
  private comparisonAnd(): Comparison {
    let left = this.propTest();
    while (this.isKw('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.propTest() };
    }
    return left;
  }
  private propTest(): Comparison {
    if (this.peek().kind === '(') {
      this.next();
      const inner = this.comparisonOr();
      this.expect(')');
      return inner;
    }
    if (this.isKw('EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath() };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isKw('NOT')) {
      this.next();
      negated = true;
    }
    const t = this.next();
    if (t.kind === 'op') {
      const op = t.text === '<>' ? '!=' : (t.text as CompareOp);
      return { kind: 'compare', path, op, negated, value: this.literal() };
    }
    if (t.kind === 'word') {
      const kw = t.text.toUpperCase();
      if (kw === 'IN') return { kind: 'in', path, negated, values: this.set() };
      if (kw === 'LIKE' || kw === 'MATCHES' || kw === 'ISSUBSET' || kw === 'ISSUPERSET') {
        const value = this.literal();
        if (value.kind !== 'string') throw new PatternSyntaxError(`${kw} needs a string literal`, t.pos);
        return { kind: 'compare', path, op: kw, negated, value };
      }
    }
    throw new PatternSyntaxError(`expected a comparison operator, found '${t.text}'`, t.pos);
  }
  private set(): Literal[] {
    this.expect('(');
    const values = [this.literal()];
    while (this.peek().kind === ',') {
      this.next();
      values.push(this.literal());
    }
    this.expect(')');
    return values;
  }
  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'timestamp' || t.kind === 'hex' || t.kind === 'binary')
      return { kind: t.kind, value: t.text };
    if (t.kind === 'int' || t.kind === 'float') return { kind: t.kind, value: Number(t.text) };
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false'))
      return { kind: 'bool', value: t.text === 'true' };
    throw new PatternSyntaxError(
      `expected a literal, found ${t.kind === 'eof' ? 'end of pattern' : `'${t.text}'`}`,
      t.pos,
    );
  }
  private objectPath(): ObjectPath {
    const typeTok = this.next();
    if (typeTok.kind !== 'word' || !/^[a-z][a-z0-9-]*[a-z0-9]$/.test(typeTok.text)) {
      throw new PatternSyntaxError(`expected an object type, found '${typeTok.text}'`, typeTok.pos);
    }
    this.expect(':');
    const steps: PathStep[] = [this.propName()];
    for (;;) {
      const t = this.peek();
      if (t.kind === '.') {
        this.next();
        steps.push(this.propName());
      } else if (t.kind === '[' && this.isIndexAhead()) {
        this.next();
        const idx = this.next();
        steps.push({ kind: 'index', index: idx.kind === 'op' && idx.text === '*' ? '*' : Number(idx.text) });
        this.expect(']');
      } else {
        return { objectType: typeTok.text, steps };
      }
    }
  }
  private isIndexAhead(): boolean {
    const t = this.toks[this.i + 1];
    return t !== undefined && (t.kind === 'int' || (t.kind === 'op' && t.text === '*'));
  }
  private propName(): PathStep {
    const t = this.next();
    if (t.kind === 'string' || (t.kind === 'word' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(t.text))) {
      return { kind: 'prop', name: t.text };
    }
    throw new PatternSyntaxError(`expected a property name, found '${t.text}'`, t.pos);
  }
}

/**
 * Parses a STIX 2.1 pattern into an AST, or throws `PatternSyntaxError` with the offset.
 * @example parsePattern("[ipv4-addr:value = '198.51.100.1'] WITHIN 60 SECONDS")
 */
export function parsePattern(pattern: string): Observation {
  return new Parser(tokenize(pattern)).parsePattern();
}

/** `null` when the pattern parses, else the syntax error message. */
export function patternError(pattern: string): string | null {
  try {
    parsePattern(pattern);
    return null;
  } catch (err) {
    if (err instanceof PatternSyntaxError) return err.message;
    throw err;
  }
}
