import { z } from 'zod';
import type { DetectorDefinition } from '../types.js';

export const AccountMetaParams = z.object({
  /** Account age (days) at its first request: younger than `youngFull` counts fully. */
  youngFull: z.number().nonnegative().default(1),
  youngOnset: z.number().positive().default(30),
  /** Accounts sharing a signup /24 on the same day or a payment fingerprint. */
  clusterOnset: z.number().positive().default(2),
  clusterFull: z.number().positive().default(8),
  lowTiers: z.array(z.string()).default(['free', 'trial', 'tier-0', 'tier0', 'tier-1', 'tier1']),
  /** Trust for a verified organisation older than this many days (lowers the prior, never to zero). */
  trustedAgeDays: z.number().positive().default(180),
});
export type AccountMetaParams = z.infer<typeof AccountMetaParams>;

export const accountMetaDefinition: DetectorDefinition<AccountMetaParams> = {
  id: 'account-metadata',
  title: 'Account metadata',
  description:
    'Prior risk from signup metadata: a brand-new account, unverified, on a low tier, signed up in a burst with ' +
    'others from the same /24 or with the same payment fingerprint.',
  family: 'account_meta',
  inputs: ['meta', 'firstTs'],
  params: AccountMetaParams,
};
