import { readFileSync, statSync } from 'node:fs';
import { StillwatchError } from '../../domain/index.js';
import { localDefaultKey, parseCommunityKeyRing, type CommunityKeyRing } from './keys.js';

export interface LoadedKeyRing {
  ring: CommunityKeyRing;
  /** Where it came from, for a log line that never includes the secret. */
  source: 'file' | 'env' | 'local-default';
}

/**
 * The community key ring from a file (`--community-key-file`), else the environment
 * (`STILLWATCH_COMMUNITY_KEY`), else the clearly-labelled local default key whose hashes no peer
 * can match. A key file readable by others is refused.
 * @example const { ring } = loadCommunityKeyRing({ file: 'secrets/community.key' });
 */
export function loadCommunityKeyRing(o: { file?: string; env?: NodeJS.ProcessEnv } = {}): LoadedKeyRing {
  if (o.file !== undefined) {
    let text: string;
    try {
      if (process.platform !== 'win32' && (statSync(o.file).mode & 0o077) !== 0) {
        throw new StillwatchError(
          'INVALID_CONFIG',
          `community key file ${o.file} is readable by others: chmod 600 it`,
        );
      }
      text = readFileSync(o.file, 'utf8');
    } catch (err) {
      if (err instanceof StillwatchError) throw err;
      throw new StillwatchError('INVALID_CONFIG', `cannot read community key file ${o.file}`);
    }
    return { ring: parseCommunityKeyRing(text), source: 'file' };
  }
  const env = (o.env ?? process.env)['STILLWATCH_COMMUNITY_KEY'];
  if (env !== undefined && env.trim() !== '')
    return { ring: parseCommunityKeyRing(env.replace(/;/g, '\n')), source: 'env' };
  return { ring: { current: localDefaultKey(), previous: [] }, source: 'local-default' };
}
