import { readFileSync } from 'node:fs';
import { StillwatchError } from '../domain/index.js';

/** Reads a configuration file named by the operator; a failure names the file and its role, never its content. */
export function readConfigFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new StillwatchError(
      'INVALID_INPUT',
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}
