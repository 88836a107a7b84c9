import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { StillwatchError } from '../domain/index.js';
import { PolicyDocument, type Policy } from './schema.js';

/** One problem in a policy file, located by line, column and field path. */
export interface PolicyIssue {
  line: number;
  col: number;
  field: string;
  message: string;
}

/** Thrown by `loadPolicy`; `issues` lists every problem, the message names each line and field. */
export class PolicyError extends StillwatchError {
  override readonly name = 'PolicyError';
  readonly issues: readonly PolicyIssue[];
  constructor(source: string, issues: readonly PolicyIssue[]) {
    const lines = issues.map((i) => `  ${source}:${i.line}:${i.col}: ${i.field || '(document)'}: ${i.message}`);
    super('INVALID_CONFIG', `invalid policy ${source}:\n${lines.join('\n')}`);
    this.issues = issues;
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/**
 * Finds the source range of the deepest node that exists along `path`. A missing key is
 * reported at its parent, an unknown key at the key itself.
 */
function locate(doc: ReturnType<typeof parseDocument>, path: readonly PropertyKey[], keyName?: string): number {
  let offset = 0;
  for (let i = 0; i <= path.length; i++) {
    const node: unknown = doc.getIn(path.slice(0, i) as unknown[], true);
    if (!isNode(node) || !node.range) break;
    offset = node.range[0];
  }
  if (keyName !== undefined) {
    const parent: unknown = doc.getIn(path as unknown[], true);
    if (isNode(parent) && 'items' in parent && Array.isArray(parent.items)) {
      for (const item of parent.items as unknown[]) {
        const key = (item as { key?: unknown }).key;
        if (isNode(key) && key.range && (key as { value?: unknown }).value === keyName) return key.range[0];
      }
    }
  }
  return offset;
}

function zodIssues(doc: ReturnType<typeof parseDocument>, lc: LineCounter, issues: readonly z.core.$ZodIssue[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const pos = lc.linePos(locate(doc, issue.path, key));
      const path = key === undefined ? issue.path : [...issue.path, key];
      const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
      out.push({ line: pos.line, col: pos.col, field: fieldName(path), message });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * Parses and validates a policy written in YAML. Pure: the caller reads the file.
 * @example
 * const policy = loadPolicy(readFileSync('policies/default.yaml', 'utf8'), 'policies/default.yaml');
 */
export function loadPolicy(yamlText: string, sourceName: string): Policy {
  const lc = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      sourceName,
      doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return { line: pos.line, col: pos.col, field: '', message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  const parsed = PolicyDocument.safeParse(doc.toJS());
  if (!parsed.success) throw new PolicyError(sourceName, zodIssues(doc, lc, parsed.error.issues));
  return { ...parsed.data, source: sourceName };
}
