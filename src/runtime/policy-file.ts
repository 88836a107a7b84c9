import { readFileSync } from 'node:fs';
import { loadPolicy, type Policy } from '../policy/index.js';
import { packagePath } from './paths.js';

/** The configured policy file, or the packaged default one. */
export function readPolicy(file: string | undefined): Policy {
  const path = file ?? packagePath('policies/default.yaml');
  return loadPolicy(readFileSync(path, 'utf8'), path);
}
