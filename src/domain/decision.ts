import { z } from 'zod';
import { Action } from './account-result.js';

export const DecisionTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), account: z.string() }),
  z.object({ kind: z.literal('end_user'), account: z.string(), end_user: z.string() }),
  z.object({ kind: z.literal('ip'), value: z.string() }),
  z.object({ kind: z.literal('cidr'), value: z.string() }),
  z.object({ kind: z.literal('asn'), value: z.string() }),
  z.object({ kind: z.literal('tls_fp'), value: z.string() }),
  z.object({ kind: z.literal('campaign'), campaign: z.string() }),
]);
export type DecisionTarget = z.infer<typeof DecisionTarget>;

export const Decision = z.object({
  id: z.string(),
  target: DecisionTarget,
  action: Action,
  reasons: z.array(z.string()),
  /** Policy rule or person that made it. */
  source: z.string(),
  created_ts: z.number(),
  expires_ts: z.number().nullable(),
  /** Parameters for throttle/degrade, e.g. { rpm: 10, tpm: 20000 }. */
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  status: z.enum(['active', 'overridden', 'expired', 'appealed']).default('active'),
});
export type Decision = z.infer<typeof Decision>;
