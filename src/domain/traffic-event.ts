import { z } from 'zod';

/**
 * Timestamps arrive as ISO-8601 strings or epoch milliseconds; everything downstream
 * works in epoch milliseconds (event time), so the schema normalises here, once.
 */
export const Timestamp = z
  .union([
    z.number().finite().int().nonnegative(),
    z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO-8601 date-time' }),
  ])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

/** A content part in the OpenAI / OpenTelemetry "parts" style. Unknown part types are kept. */
export const ContentPart = z
  .object({
    type: z.string(),
    text: z.string().optional(),
  })
  .loose();

export const Message = z
  .object({
    role: z.string().min(1),
    content: z.union([z.string(), z.array(ContentPart), z.null()]),
    tool_call_id: z.string().optional(),
    name: z.string().optional(),
  })
  .loose();
export type Message = z.infer<typeof Message>;

const nonNegInt = z.number().int().nonnegative();

export const SamplingParams = z
  .object({
    temperature: z.number().min(0).max(10).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: nonNegInt.optional(),
    n: z.number().int().positive().optional(),
    logprobs: z.boolean().optional(),
    top_logprobs: nonNegInt.optional(),
    reasoning_effort: z.string().optional(),
    stream: z.boolean().optional(),
  })
  .loose();
export type SamplingParams = z.infer<typeof SamplingParams>;

export const Usage = z
  .object({
    input_tokens: nonNegInt.optional(),
    output_tokens: nonNegInt.optional(),
    reasoning_tokens: nonNegInt.optional(),
    cached_tokens: nonNegInt.optional(),
  })
  .loose();
export type Usage = z.infer<typeof Usage>;

/** Tool definitions as sent, or just their count when a log keeps no bodies. */
export const Tools = z.union([nonNegInt, z.array(z.unknown())]);

/**
 * THE ingest shape every source is normalised to (see docs/ARCHITECTURE.md).
 * Required: id, ts, account, model, and `messages` or `prompt`.
 */
export const TrafficEvent = z
  .object({
    type: z.literal('event').optional(),
    id: z.string().min(1).max(512),
    ts: Timestamp,
    account: z.string().min(1).max(512),
    model: z.string().min(1).max(256),
    messages: z.array(Message).optional(),
    prompt: z.string().optional(),
    org: z.string().optional(),
    key: z.string().optional(),
    end_user: z.string().optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    asn: z.union([nonNegInt, z.string().regex(/^(AS)?\d+$/i)]).optional(),
    country: z.string().optional(),
    user_agent: z.string().optional(),
    tls_fp: z.string().optional(),
    endpoint: z.string().optional(),
    tools: Tools.optional(),
    params: SamplingParams.optional(),
    usage: Usage.optional(),
    output: z.string().optional(),
    finish_reason: z.string().optional(),
    status: z.number().int().optional(),
    latency_ms: z.number().nonnegative().optional(),
  })
  .loose()
  .refine((e) => e.messages !== undefined || e.prompt !== undefined, {
    message: 'expected `messages` or `prompt`',
    path: ['messages'],
  });
export type TrafficEvent = z.infer<typeof TrafficEvent>;
export type TrafficEventInput = z.input<typeof TrafficEvent>;

/** Signup metadata for an account; shares the stream with events (`type: "account"`). */
export const AccountRecord = z
  .object({
    type: z.literal('account'),
    account: z.string().min(1).max(512),
    created: Timestamp,
    org: z.string().optional(),
    email_domain: z.string().optional(),
    payment_fp: z.string().optional(),
    tier: z.string().optional(),
    verified: z.boolean().optional(),
    country: z.string().optional(),
    signup_ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .loose();
export type AccountRecord = z.infer<typeof AccountRecord>;

/** A model becoming available; the release-pivot signal measures traffic moved to it. */
export const ModelRelease = z
  .object({
    type: z.literal('model_release'),
    model: z.string().min(1),
    released: Timestamp,
  })
  .loose();
export type ModelRelease = z.infer<typeof ModelRelease>;

export type IngestRecord =
  | { kind: 'event'; event: TrafficEvent }
  | { kind: 'account'; account: AccountRecord }
  | { kind: 'model_release'; release: ModelRelease };

/** Prompt text of an event as one string (user-visible parts only), for sketches and samples. */
export function promptText(event: Pick<TrafficEvent, 'messages' | 'prompt'>): string {
  if (event.prompt !== undefined) return event.prompt;
  const parts: string[] = [];
  for (const m of event.messages ?? []) parts.push(contentText(m.content));
  return parts.join('\n');
}

/** The text of the last user message: what a template detector should look at. */
export function lastUserText(event: Pick<TrafficEvent, 'messages' | 'prompt'>): string {
  if (event.prompt !== undefined) return event.prompt;
  const msgs = event.messages ?? [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (m !== undefined && m.role === 'user') return contentText(m.content);
  }
  return '';
}

export function contentText(content: Message['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  let out = '';
  for (const p of content) if (typeof p.text === 'string') out += (out ? '\n' : '') + p.text;
  return out;
}
