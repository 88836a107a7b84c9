import { z } from 'zod';
import { Finding } from './finding.js';

export const Action = z.enum([
  'allow',
  'monitor',
  'review',
  'challenge',
  'throttle',
  'degrade',
  'block',
  'ban-campaign',
]);
export type Action = z.infer<typeof Action>;

/**
 * One line of `accounts.ndjson`: the verdict on an account, or on one end user of a
 * reseller account (then `end_user` is set). A contract read by eval, console and peers' tools.
 */
export const AccountResult = z.object({
  account: z.string(),
  end_user: z.string().optional(),
  score: z.number().min(0).max(1),
  flagged: z.boolean(),
  action: Action,
  campaign: z.string().nullable(),
  first_flagged_ts: z.number().nullable(),
  exchanges_before_flag: z.number().int().nonnegative().nullable(),
  exchanges: z.number().int().nonnegative(),
  first_seen_ts: z.number(),
  last_seen_ts: z.number(),
  reasons: z.array(Finding),
});
export type AccountResult = z.infer<typeof AccountResult>;
