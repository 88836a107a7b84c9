import { z } from 'zod';
import { Decision } from '../../domain/index.js';
import type { AllowlistEntry } from '../../ports/index.js';
import type { HashKind } from './keys.js';

/** Redis is an edge: every value read from it is checked before it reaches the gateway. */
const AllowlistEntrySchema = z.object({
  id: z.string(),
  subject: z.string(),
  owner: z.string(),
  reason: z.string(),
  created_ts: z.number(),
  expires_ts: z.number(),
}) satisfies z.ZodType<AllowlistEntry>;

const Members = z.array(z.string());

/** The in-memory copy of the Redis hashes, field by field. */
export interface SnapshotState {
  decision: Map<string, Decision>;
  allowlist: Map<string, AllowlistEntry>;
  campaign: Map<string, string[]>;
  org: Map<string, string>;
}

export const emptyState = (): SnapshotState => ({
  decision: new Map(),
  allowlist: new Map(),
  campaign: new Map(),
  org: new Map(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sets or removes one field; returns false (and removes it) when the stored value is not valid. */
export function applyField(
  state: SnapshotState,
  kind: HashKind,
  field: string,
  value: string | null,
): boolean {
  if (value === null) {
    state[kind].delete(field);
    return true;
  }
  switch (kind) {
    case 'decision': {
      const r = Decision.safeParse(parseJson(value));
      if (r.success) state.decision.set(field, r.data);
      else state.decision.delete(field);
      return r.success;
    }
    case 'allowlist': {
      const r = AllowlistEntrySchema.safeParse(parseJson(value));
      if (r.success) state.allowlist.set(field, r.data);
      else state.allowlist.delete(field);
      return r.success;
    }
    case 'campaign': {
      const r = Members.safeParse(parseJson(value));
      if (r.success) state.campaign.set(field, r.data);
      else state.campaign.delete(field);
      return r.success;
    }
    case 'org':
      state.org.set(field, value);
      return true;
  }
}
