import { NAMESPACE_PATTERN } from '../../ports/index.js';

/** The four hashes a decision snapshot is stored in, in the order the Lua scripts index them. */
export const HASH_KINDS = ['decision', 'allowlist', 'campaign', 'org'] as const;
export type HashKind = (typeof HASH_KINDS)[number];

export interface RedisKeys {
  /** Counter bumped by every write; readers compare it with what they hold. */
  version: string;
  /** Random id set when the version starts from 1 again (a wiped or new Redis): readers then reload whole. */
  epoch: string;
  /** Stream of changed fields, entry id `<version>-0`, trimmed to a bounded length. */
  log: string;
  hashes: Record<HashKind, string>;
  /** Pub/sub channel carrying the new version after each write. */
  channel: string;
}

/**
 * Key names for one namespace. The namespace is a hash tag (`{ns}`) so every key of a
 * snapshot lands in one Redis Cluster slot, which the Lua scripts need.
 * @example redisKeys('prod').version // "stillwatch:{prod}:version"
 */
export function redisKeys(namespace: string): RedisKeys {
  if (!NAMESPACE_PATTERN.test(namespace))
    throw new Error(`invalid Redis key namespace: expected ${NAMESPACE_PATTERN.source}`);
  const p = `stillwatch:{${namespace}}`;
  return {
    version: `${p}:version`,
    epoch: `${p}:epoch`,
    log: `${p}:log`,
    hashes: {
      decision: `${p}:decisions`,
      allowlist: `${p}:allowlist`,
      campaign: `${p}:campaigns`,
      org: `${p}:orgs`,
    },
    channel: `${p}:changed`,
  };
}

/** KEYS of both scripts: version, epoch, log, then the hashes in HASH_KINDS order. */
export function scriptKeys(k: RedisKeys): string[] {
  return [k.version, k.epoch, k.log, ...HASH_KINDS.map((h) => k.hashes[h])];
}
