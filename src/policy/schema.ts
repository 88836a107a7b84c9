import { z } from 'zod';

/**
 * The policy language, as zod schemas. Strict objects everywhere so that a typo in a key
 * ("tll" for "ttl") is an error with a line number rather than a silently ignored rule.
 */

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90s", "15m", "24h", "7d", "2w" or a number of milliseconds. */
export const Duration = z
  .union([
    z.number().int().positive(),
    z.string().regex(DURATION_RE, { message: 'expected a duration such as "15m", "24h" or "7d"' }),
  ])
  .transform((v) => {
    if (typeof v === 'number') return v;
    const m = DURATION_RE.exec(v);
    return Math.round(Number(m?.[1]) * (UNIT_MS[m?.[2] ?? 'ms'] ?? 1));
  });

const ACCOUNT_FIELD = /^account\.(score|flagged|exchanges|campaign|id|end_user|exchanges_before_flag)$/;
const ACCOUNT_MAP_FIELD = /^account\.(detector|signal)\.[A-Za-z0-9_.:-]+$/;
const CAMPAIGN_FIELD = /^campaign\.(score|size|exchanges|id)$/;
const CAMPAIGN_MAP_FIELD = /^campaign\.signal\.[A-Za-z0-9_.:-]+$/;

export const FieldPath = z
  .string()
  .refine((f) => ACCOUNT_FIELD.test(f) || ACCOUNT_MAP_FIELD.test(f) || CAMPAIGN_FIELD.test(f) || CAMPAIGN_MAP_FIELD.test(f), {
    message:
      'unknown field; expected account.{score,flagged,exchanges,campaign,id,end_user}, account.detector.<id>, ' +
      'account.signal.<name>, campaign.{score,size,exchanges,id}, or campaign.signal.<name>',
  });

const Scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const Comparison = z.strictObject({
  field: FieldPath,
  gte: z.number().optional(),
  gt: z.number().optional(),
  lte: z.number().optional(),
  lt: z.number().optional(),
  eq: Scalar.optional(),
  ne: Scalar.optional(),
  in: z.array(Scalar).min(1).optional(),
  exists: z.boolean().optional(),
});
export type Comparison = z.infer<typeof Comparison>;

export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
    Comparison.refine(
      (c) => ['gte', 'gt', 'lte', 'lt', 'eq', 'ne', 'in', 'exists'].some((k) => c[k as keyof Comparison] !== undefined),
      { message: 'a comparison needs at least one operator: gte, gt, lte, lt, eq, ne, in or exists' },
    ),
  ]),
);

export const ThrottleParams = z.strictObject({
  /** Requests per minute, enforced with a token bucket. */
  rpm: z.number().positive().optional(),
  /** Tokens (input + output) per minute. */
  tpm: z.number().positive().optional(),
  /** Bucket size as a multiple of the per-minute rate (default 1: one minute's worth). */
  burst: z.number().positive().max(60).optional(),
}).refine((t) => t.rpm !== undefined || t.tpm !== undefined, { message: 'throttle needs rpm, tpm or both' });

export const DegradeParams = z.strictObject({
  reasoning: z.enum(['keep', 'strip', 'summarise']).default('strip'),
  max_reasoning_chars: z.number().int().positive().optional(),
  max_tokens: z.number().int().positive().optional(),
  /** false: drop logprobs from requests and responses. */
  logprobs: z.boolean().default(false),
  watermark: z.boolean().default(false),
  perturb_format: z.boolean().default(false),
});

export const InfraKind = z.enum(['ip', 'cidr', 'asn', 'tls_fp']);
export type InfraKind = z.infer<typeof InfraKind>;

export const InfraSpec = z.strictObject({
  kinds: z.array(InfraKind).min(1),
  /** A value is acted on only when at least this many of the campaign's accounts share it. */
  min_accounts: z.number().int().min(1).default(2),
});

const thenBase = {
  /** Template: {account.score}, {campaign.id}, … are replaced with the subject's values. */
  reason: z.string().min(1),
  ttl: Duration.optional(),
  /** Campaign rules: also act on shared infrastructure, so the campaign's new accounts are stopped. */
  infrastructure: InfraSpec.optional(),
  /** Campaign rules: also write one decision per member account (default true). */
  members: z.boolean().optional(),
};

const ACTIONS = 'allow, monitor, review, challenge, throttle, degrade, block, ban-campaign';

const Then = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ ...thenBase, action: z.literal('allow') }),
    z.strictObject({ ...thenBase, action: z.literal('monitor') }),
    z.strictObject({ ...thenBase, action: z.literal('review') }),
    z.strictObject({ ...thenBase, action: z.literal('challenge') }),
    z.strictObject({ ...thenBase, action: z.literal('throttle'), params: ThrottleParams }),
    z.strictObject({ ...thenBase, action: z.literal('degrade'), params: DegradeParams.prefault({}) }),
    z.strictObject({ ...thenBase, action: z.literal('block') }),
    z.strictObject({ ...thenBase, action: z.literal('ban-campaign') }),
  ],
  { error: () => `expected action to be one of: ${ACTIONS}` },
);
export type Then = z.infer<typeof Then>;

export const Rule = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'rule ids are lower-case letters, digits, - and _' }),
    description: z.string().optional(),
    applies_to: z.enum(['account', 'campaign']),
    when: Condition,
    then: z.unknown(),
  })
  .transform((r, ctx) => {
    // Parsed separately so the error path points into `then` rather than at a union mismatch.
    const then = Then.safeParse(r.then);
    if (!then.success) {
      for (const issue of then.error.issues) ctx.addIssue({ ...issue, path: ['then', ...issue.path] });
      return z.NEVER;
    }
    return { ...r, then: then.data };
  });
export type Rule = z.infer<typeof Rule>;

export const AllowlistSpec = z.strictObject({
  /** "account:<id>", "org:<org>" or "end_user:<account>/<end user>". */
  subject: z.string().regex(/^(account|org|end_user):.+$/, {
    message: 'expected "account:<id>", "org:<org>" or "end_user:<account>/<end user>"',
  }),
  owner: z.string().min(1),
  reason: z.string().min(1),
  expires: z.union([z.string(), z.date()]).transform((v, ctx) => {
    const t = v instanceof Date ? v.getTime() : Date.parse(v);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date' });
      return z.NEVER;
    }
    return t;
  }),
});

export const PolicyDocument = z
  .strictObject({
    version: z.literal(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    description: z.string().optional(),
    defaults: z.strictObject({ ttl: Duration }).prefault({ ttl: '24h' }),
    allowlist: z.array(AllowlistSpec).default([]),
    rules: z.array(Rule).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
      if (r.applies_to === 'campaign' && JSON.stringify(r.when).includes('"account.')) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'when'], message: 'campaign rules can only test campaign.* fields' });
      }
      if (r.applies_to === 'account' && (r.then.infrastructure !== undefined || r.then.members !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'then'], message: 'infrastructure and members apply to campaign rules only' });
      }
      if (r.then.action === 'ban-campaign' && r.applies_to !== 'campaign') {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'then', 'action'], message: 'ban-campaign needs applies_to: campaign' });
      }
    });
  });
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** A loaded policy: the validated document plus where it came from. */
export interface Policy extends PolicyDocument {
  readonly source: string;
}
