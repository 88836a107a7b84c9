import { z } from 'zod';

/**
 * The compact per-account summary that the correlation stage consumes instead of raw
 * events, so it can run as its own process. Every list is capped; no raw prompt is here.
 */
export const AccountSketch = z.object({
  account: z.string(),
  exchanges: z.number().int().nonnegative(),
  first_ts: z.number(),
  last_ts: z.number(),
  /** Per-account risk from the per-account stage, before campaign propagation. */
  score: z.number().min(0).max(1),
  /** Named per-account signal values (e.g. reasoning_share, template_coherence). */
  signals: z.record(z.string(), z.number()),
  /** Infrastructure values seen (capped, most frequent first). */
  infra: z.object({
    ips: z.array(z.string()),
    subnets: z.array(z.string()),
    asns: z.array(z.string()),
    tls_fps: z.array(z.string()),
    user_agents: z.array(z.string()),
  }),
  signup: z.object({
    created: z.number().nullable(),
    signup_ip: z.string().nullable(),
    payment_fp: z.string().nullable(),
    email_domain: z.string().nullable(),
    org: z.string().nullable(),
    verified: z.boolean().nullable(),
    tier: z.string().nullable(),
  }),
  /** LSH band keys of the account's dominant prompt templates (capped). */
  template_bands: z.array(z.string()),
  /** MinHash signature of the dominant template (for similarity and intel sharing). */
  template_minhash: z.array(z.number()),
  /** Exchanges per hour of the observed span, compressed (for synchronised-activity tests). */
  activity: z.array(z.number()),
  /** Event time at which the per-account stage first flagged it, if it did. */
  first_flagged_ts: z.number().nullable(),
});
export type AccountSketch = z.infer<typeof AccountSketch>;
