import { z } from 'zod';
import type { AccountSketch, Finding } from '../../domain/index.js';
import { keyedHash, keyRingOf, type CommunityKey, type CommunityKeyRing } from './keys.js';
import {
  campaignBehaviourOfSketch,
  keySignature,
  lshBands,
  minhashJaccard,
  sketchInfra,
} from './evidence.js';
import { DISTILLATION_EXTENSION_ID, PATTERN_TYPES } from './extension.js';
import { parsePattern, type Observation } from './pattern.js';
import { evaluatePattern } from './pattern-eval.js';

/** How much one matched keyed value says about a campaign, by kind (shared ASNs and UAs say little). */
export const KIND_WEIGHTS: Readonly<Record<string, number>> = {
  ip: 0.5,
  subnet24: 0.2,
  asn: 0.03,
  tls_fp: 0.25,
  user_agent: 0.05,
  signup_ip: 0.5,
  payment_fp: 0.8,
  email_domain: 0.1,
};

const Ext = z
  .object({
    key_id: z.string(),
    indicator_kind: z.string(),
    keyed_hashes: z
      .array(z.object({ kind: z.string(), hmac: z.string(), accounts: z.number().optional() }))
      .optional(),
    template_sketches: z.array(z.object({ slots: z.array(z.number()) })).optional(),
    min_similarity: z.number().min(0).max(1).optional(),
    behaviour: z.object({ buckets: z.record(z.string(), z.number()) }).optional(),
  })
  .loose();
type Ext = z.infer<typeof Ext>;

const Indicator = z
  .object({
    type: z.literal('indicator'),
    id: z.string(),
    pattern: z.string(),
    pattern_type: z.string(),
    created_by_ref: z.string().optional(),
    confidence: z.number().optional(),
    revoked: z.boolean().optional(),
    valid_until: z.string().optional(),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const Relationship = z
  .object({
    type: z.literal('relationship'),
    relationship_type: z.string(),
    source_ref: z.string(),
    target_ref: z.string(),
  })
  .loose();

interface Prepared {
  id: string;
  group: string;
  producer: string | null;
  pattern: Observation;
  ext: Ext | null;
  key: CommunityKey | null;
  confidence: number;
  /** Event time after which the indicator no longer applies (valid_until), if any. */
  validUntil: number;
}

/** What one local account matched of one peer campaign. */
export interface IntelMatch {
  group: string;
  producer: string | null;
  score: number;
  indicators: string[];
  infraMatches: number;
  templateSimilarity: number | null;
  behaviour: boolean;
}

/** Accumulated matches per peer indicator, what a sighting reports (counts only). */
export interface SightingRecord {
  indicatorId: string;
  producer: string | null;
  accounts: number;
  exchanges: number;
  firstTs: number;
  lastTs: number;
}

export interface IntelMatcher {
  readonly indicators: number;
  /** Indicators that could not be used: unknown key, bad pattern, revoked. */
  readonly skipped: number;
  matches(sketch: AccountSketch): IntelMatch[];
  match(sketch: AccountSketch): Finding | null;
  sightings(): SightingRecord[];
}

function prepare(
  objects: readonly unknown[],
  ring: CommunityKeyRing,
): { prepared: Prepared[]; skipped: number } {
  const keys = new Map([ring.current, ...ring.previous].map((k) => [k.id, k]));
  const campaignOf = new Map<string, string>();
  for (const o of objects) {
    const r = Relationship.safeParse(o);
    if (r.success && r.data.relationship_type === 'indicates' && r.data.target_ref.startsWith('campaign--'))
      campaignOf.set(r.data.source_ref, r.data.target_ref);
  }
  const prepared: Prepared[] = [];
  let skipped = 0;
  for (const o of objects) {
    const p = Indicator.safeParse(o);
    if (!p.success) continue;
    const ind = p.data;
    const validUntil = ind.valid_until !== undefined ? Date.parse(ind.valid_until) : Number.POSITIVE_INFINITY;
    let pattern: Observation | null = null;
    try {
      pattern = ind.pattern_type === 'stix' ? parsePattern(ind.pattern) : null;
    } catch {
      pattern = null;
    }
    const extParsed = Ext.safeParse(ind.extensions?.[DISTILLATION_EXTENSION_ID]);
    const ext = extParsed.success ? extParsed.data : null;
    const key = ext ? (keys.get(ext.key_id) ?? null) : ring.current;
    if (ind.revoked === true || Number.isNaN(validUntil) || pattern === null || key === null) {
      skipped++;
      continue;
    }
    const confidence = ind.confidence === undefined ? 1 : Math.max(0, Math.min(1, ind.confidence / 100));
    prepared.push({
      id: ind.id,
      group: campaignOf.get(ind.id) ?? ind.id,
      producer: ind.created_by_ref ?? null,
      pattern,
      ext,
      key,
      confidence,
      validUntil,
    });
  }
  return { prepared, skipped };
}

interface LocalView {
  objects: Record<string, unknown>[];
  hashes: Set<string>;
  slots: number[];
}

function localView(sketch: AccountSketch, key: CommunityKey): LocalView {
  const objects: Record<string, unknown>[] = [];
  const hashes = new Set<string>();
  for (const [kind, value] of sketchInfra(sketch)) {
    const hmac = keyedHash(key, kind, value);
    hashes.add(`${kind}:${hmac}`);
    objects.push({ type: PATTERN_TYPES.infra, key_id: key.id, kind, hmac });
  }
  const slots = sketch.template_minhash.length >= 8 ? keySignature(key, sketch.template_minhash) : [];
  if (slots.length > 0)
    objects.push({ type: PATTERN_TYPES.template, key_id: key.id, lsh_bands: lshBands(slots) });
  objects.push({ type: PATTERN_TYPES.behaviour, buckets: campaignBehaviourOfSketch(sketch) });
  return { objects, hashes, slots };
}

function evidenceWeight(
  p: Prepared,
  view: LocalView,
): { weight: number; infra: number; similarity: number | null; behaviour: boolean } {
  const none = { weight: 0, infra: 0, similarity: null, behaviour: false };
  if (!evaluatePattern(p.pattern, [{ ts: 0, objects: view.objects }])) return none;
  if (p.ext === null) return { ...none, weight: 0.5 * p.confidence };
  switch (p.ext.indicator_kind) {
    case 'infrastructure': {
      let miss = 1;
      let n = 0;
      for (const h of p.ext.keyed_hashes ?? []) {
        if (view.hashes.has(`${h.kind}:${h.hmac}`)) {
          // A value only one of the campaign's accounts used says half as much as a shared one.
          miss *= 1 - (KIND_WEIGHTS[h.kind] ?? 0.1) * (h.accounts === 1 ? 0.5 : 1);
          n++;
        }
      }
      return { ...none, weight: (1 - miss) * p.confidence, infra: n };
    }
    case 'template': {
      const best = Math.max(
        0,
        ...(p.ext.template_sketches ?? []).map((t) => minhashJaccard(t.slots, view.slots)),
      );
      const ok = best >= (p.ext.min_similarity ?? 0.5);
      return { ...none, weight: ok ? Math.min(0.9, 0.4 + 0.5 * best) * p.confidence : 0, similarity: best };
    }
    case 'behaviour':
      return { ...none, weight: 0.2 * p.confidence, behaviour: true };
    default:
      return { ...none, weight: 0.3 * p.confidence };
  }
}

/**
 * Matches peers' indicators against local account sketches. Local values are hashed with the
 * same community key (any key of the ring the indicator names), template signatures are keyed
 * the same way and compared by MinHash similarity; each indicator's STIX pattern is evaluated
 * against the keyed view, so plain-pattern indicators from other tools match too.
 * @example const m = createIntelMatcher(pulledObjects, keyRing); const finding = m.match(sketch);
 */
export function createIntelMatcher(
  objects: readonly unknown[],
  key: CommunityKey | CommunityKeyRing,
  opts: { threshold?: number } = {},
): IntelMatcher {
  const ring = 'current' in key ? key : keyRingOf(key);
  const { prepared, skipped } = prepare(objects, ring);
  const threshold = opts.threshold ?? 0.6;
  const seen = new Map<
    string,
    { producer: string | null; accounts: Map<string, number>; firstTs: number; lastTs: number }
  >();

  const matches = (sketch: AccountSketch): IntelMatch[] => {
    const views = new Map<string, LocalView>();
    const groups = new Map<string, IntelMatch & { miss: number }>();
    for (const p of prepared) {
      // Event time, not wall time: an indicator expired before this account was active does not apply (replays stay correct).
      if (p.validUntil < sketch.first_ts) continue;
      const k = p.key ?? ring.current;
      let view = views.get(k.id);
      if (!view) views.set(k.id, (view = localView(sketch, k)));
      const ev = evidenceWeight(p, view);
      if (ev.weight <= 0) continue;
      const g = groups.get(p.group) ?? {
        group: p.group,
        producer: p.producer,
        score: 0,
        indicators: [],
        infraMatches: 0,
        templateSimilarity: null,
        behaviour: false,
        miss: 1,
      };
      g.miss *= 1 - ev.weight;
      g.indicators.push(p.id);
      g.infraMatches += ev.infra;
      if (ev.similarity !== null) g.templateSimilarity = Math.max(g.templateSimilarity ?? 0, ev.similarity);
      g.behaviour ||= ev.behaviour;
      groups.set(p.group, g);
    }
    const out: IntelMatch[] = [];
    for (const { miss, ...g } of groups.values()) {
      const score = 1 - miss;
      if (score >= threshold) out.push({ ...g, score });
    }
    out.sort((a, b) => b.score - a.score);
    for (const m of out) record(m, sketch);
    return out;
  };

  const record = (m: IntelMatch, sketch: AccountSketch): void => {
    for (const id of m.indicators) {
      const s = seen.get(id) ?? {
        producer: m.producer,
        accounts: new Map<string, number>(),
        firstTs: sketch.first_ts,
        lastTs: sketch.last_ts,
      };
      s.accounts.set(sketch.account, sketch.exchanges);
      s.firstTs = Math.min(s.firstTs, sketch.first_ts);
      s.lastTs = Math.max(s.lastTs, sketch.last_ts);
      seen.set(id, s);
    }
  };

  const match = (sketch: AccountSketch): Finding | null => {
    const best = matches(sketch)[0];
    if (!best) return null;
    const signals: Finding['signals'] = {
      peer_intel_score: {
        value: best.score,
        baseline: threshold,
        baseline_note: 'match threshold for peer indicators',
      },
      peer_infra_matches: { value: best.infraMatches, unit: 'keyed values' },
      peer_indicators_matched: { value: best.indicators.length },
    };
    if (best.templateSimilarity !== null)
      signals['peer_template_similarity'] = { value: best.templateSimilarity, unit: 'jaccard' };
    return {
      detector: 'peer_intel',
      score: Math.min(1, best.score),
      explanation:
        `Matches ${best.indicators.length} indicator(s) of ${best.group} shared by a peer: ${best.infraMatches} keyed infrastructure value(s)` +
        (best.templateSimilarity !== null
          ? `, template similarity ${best.templateSimilarity.toFixed(2)}`
          : '') +
        (best.behaviour ? ', behavioural fingerprint' : '') +
        '.',
      signals,
      event_ids: [],
      sample_prompts: [],
    };
  };

  const sightings = (): SightingRecord[] =>
    [...seen.entries()]
      .map(([indicatorId, s]) => ({
        indicatorId,
        producer: s.producer,
        accounts: s.accounts.size,
        exchanges: [...s.accounts.values()].reduce((a, b) => a + b, 0),
        firstTs: s.firstTs,
        lastTs: s.lastTs,
      }))
      .sort((a, b) => a.indicatorId.localeCompare(b.indicatorId));

  return { indicators: prepared.length, skipped, matches, match, sightings };
}
