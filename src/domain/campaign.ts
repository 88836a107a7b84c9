import { z } from 'zod';

export const LinkReason = z.object({
  /** e.g. "ip", "subnet24", "asn", "tls_fp", "user_agent", "signup_ip", "payment_fp", "template", "sync". */
  kind: z.string(),
  /** The shared value, hashed or truncated where it could identify a user. */
  value: z.string(),
  weight: z.number(),
});
export type LinkReason = z.infer<typeof LinkReason>;

export const CampaignEdge = z.object({
  a: z.string(),
  b: z.string(),
  weight: z.number(),
  reasons: z.array(LinkReason),
});
export type CampaignEdge = z.infer<typeof CampaignEdge>;

/** One entry of `campaigns.json`. */
export const Campaign = z.object({
  id: z.string(),
  score: z.number().min(0).max(1),
  accounts: z.array(z.string()),
  size: z.number().int().nonnegative(),
  first_seen_ts: z.number(),
  last_seen_ts: z.number(),
  first_flagged_ts: z.number().nullable(),
  exchanges: z.number().int().nonnegative(),
  signals: z.record(z.string(), z.number()),
  edges: z.array(CampaignEdge),
  explanation: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;
