import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../domain/index.js';

const INPUT_FILE = /\.(ndjson|jsonl|json|log|txt)(\.gz)?$|\.gz$/i;

/** Expands files, directories (recursively, sorted) and "-" (stdin) into the list of inputs to read. */
export function expandInputs(inputs: readonly string[]): { files: string[]; totalBytes: number } {
  if (inputs.length === 0) throw new UsageError('no input given: pass files, directories or - for stdin');
  const files: string[] = [];
  let totalBytes = 0;
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new UsageError(`input not found: ${input}`);
    }
    if (st.isDirectory()) {
      for (const f of walk(input)) {
        files.push(f);
        totalBytes += statSync(f).size;
      }
    } else {
      files.push(input);
      totalBytes += st.size;
    }
  }
  return { files, totalBytes };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else if (entry.isFile() && INPUT_FILE.test(entry.name)) out.push(p);
  }
  return out;
}

/** Files named *.json(.gz) may hold one whole JSON document (an OTLP export, an array of records). */
export function mayBeWholeDocument(file: string): boolean {
  return /\.json(\.gz)?$/i.test(file);
}
