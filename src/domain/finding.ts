import { z } from 'zod';

/** One measured signal with the baseline it was compared with, so a human can check it. */
export const SignalEvidence = z.object({
  value: z.number(),
  baseline: z.number().optional(),
  /** How the baseline was obtained, e.g. "p99 of benign reference traffic". */
  baseline_note: z.string().optional(),
  unit: z.string().optional(),
});
export type SignalEvidence = z.infer<typeof SignalEvidence>;

/** What a detector returns: a score in [0,1] and the evidence behind it. */
export const Finding = z.object({
  detector: z.string(),
  score: z.number().min(0).max(1),
  explanation: z.string(),
  signals: z.record(z.string(), SignalEvidence),
  /** Ids of events that illustrate the finding (bounded sample). */
  event_ids: z.array(z.string()),
  /** Redacted, truncated prompt samples; never whole raw prompts. */
  sample_prompts: z.array(z.string()),
});
export type Finding = z.infer<typeof Finding>;
