import { randomUUID } from 'node:crypto';
import type { ScriptedRedis } from './client.js';
import { HASH_KINDS, scriptKeys, type RedisKeys } from './keys.js';
import type { CacheOp } from './ops.js';

export interface WriteResult {
  version: number;
  changed: number;
}

/**
 * Writes one batch atomically (WRITE_SCRIPT): the fields, the version, the log entry and the
 * notification together, so a reader sees all of a batch or none of it.
 */
export async function writeBatch(
  redis: ScriptedRedis,
  keys: RedisKeys,
  ops: readonly CacheOp[],
  options: { logMaxLen: number; force?: boolean },
): Promise<WriteResult> {
  const args: Array<string | number> = [
    ...scriptKeys(keys),
    keys.channel,
    options.logMaxLen,
    randomUUID(),
    options.force ? '1' : '0',
  ];
  for (const op of ops) {
    const guard = op.expect === undefined ? '*' : op.expect === null ? '0' : '=';
    args.push(
      HASH_KINDS.indexOf(op.kind) + 1,
      op.field,
      op.value === null ? 'd' : 's',
      op.value ?? '',
      guard,
      op.expect ?? '',
    );
  }
  const [version, changed] = await redis.swWrite(...args);
  return { version: Number(version), changed: Number(changed) };
}
