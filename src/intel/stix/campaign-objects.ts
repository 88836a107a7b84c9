import { createHash } from 'node:crypto';
import type { AccountSketch, Campaign } from '../../domain/index.js';
import { ATLAS_EXTRACT_AI_MODEL_ID } from './atlas.js';
import {
  campaignBehaviour,
  campaignKeyedHashes,
  campaignTemplates,
  lshBands,
  LSH_ROWS,
  type KeyedHash,
  type TemplateSketch,
} from './evidence.js';
import {
  DISTILLATION_EXTENSION_ID,
  DISTILLATION_EXTENSION_VERSION,
  PATTERN_TYPES,
  TRAFFIC_SUMMARY_TYPE,
} from './extension.js';
import { canonicalJson, stixId, stixTimestamp, STIX_SCO_NAMESPACE } from './ids.js';
import { keyedHash, type CommunityKey } from './keys.js';
import type { StixObject } from './types.js';

export interface CampaignContext {
  key: CommunityKey;
  producerId: string;
  markingId: string;
  validDays: number;
  minTemplateSimilarity: number;
}

const KILL_CHAIN = [{ kill_chain_name: 'mitre-atlas', phase_name: 'exfiltration' }];
const DAY_MS = 86_400_000;

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `[x-stillwatch-infra:key_id = 'k' AND x-stillwatch-infra:kind = 'ip' AND x-stillwatch-infra:hmac IN (…)] OR …` */
export function infraPattern(keyId: string, hashes: readonly KeyedHash[]): string {
  const t = PATTERN_TYPES.infra;
  const byKind = new Map<string, string[]>();
  for (const h of hashes) byKind.set(h.kind, [...(byKind.get(h.kind) ?? []), h.hmac]);
  return [...byKind.entries()]
    .map(
      ([kind, hs]) =>
        `[${t}:key_id = ${quote(keyId)} AND ${t}:kind = ${quote(kind)} AND ${t}:hmac IN (${hs.map(quote).join(', ')})]`,
    )
    .join(' OR ');
}

export function templatePattern(keyId: string, templates: readonly TemplateSketch[]): string {
  const t = PATTERN_TYPES.template;
  const bands = [...new Set(templates.flatMap((s) => lshBands(s.slots)))].sort();
  return `[${t}:key_id = ${quote(keyId)} AND ${t}:lsh_bands[*] IN (${bands.map(quote).join(', ')})]`;
}

/** Behaviour pattern: every bucketed signal of the campaign within its bucket's range. */
export function behaviourPattern(buckets: Readonly<Record<string, number>>): string {
  const t = PATTERN_TYPES.behaviour;
  const terms = Object.entries(buckets).map(([name, b]) => `${t}:buckets.${name} = ${b}`);
  return `[${terms.join(' AND ')}]`;
}

function common(ctx: CampaignContext, created: string, modified: string): Record<string, unknown> {
  return {
    spec_version: '2.1',
    created,
    modified,
    created_by_ref: ctx.producerId,
    object_marking_refs: [ctx.markingId],
  };
}

function ext(ctx: CampaignContext, body: Record<string, unknown>): Record<string, unknown> {
  return {
    [DISTILLATION_EXTENSION_ID]: {
      extension_type: 'property-extension',
      extension_version: DISTILLATION_EXTENSION_VERSION,
      key_id: ctx.key.id,
      ...body,
    },
  };
}

interface Built {
  campaignId: string;
  objects: StixObject[];
}

function relationship(
  ctx: CampaignContext,
  source: string,
  type: string,
  target: string,
  created: string,
  modified: string,
): StixObject {
  return {
    type: 'relationship',
    id: stixId('relationship', { source, type, target }),
    ...common(ctx, created, modified),
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  };
}

function indicators(
  c: Campaign,
  sketches: ReadonlyMap<string, AccountSketch>,
  ctx: CampaignContext,
  label: string,
  times: [string, string, string],
): StixObject[] {
  const [created, modified, validUntil] = times;
  const base = (
    kind: string,
    name: string,
    description: string,
    pattern: string,
    body: Record<string, unknown>,
  ): StixObject => ({
    type: 'indicator',
    id: stixId('indicator', { producer: ctx.producerId, campaign: label, kind, key_id: ctx.key.id }),
    ...common(ctx, created, modified),
    name,
    description,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: created,
    valid_until: validUntil,
    kill_chain_phases: KILL_CHAIN,
    confidence: Math.round(c.score * 100),
    extensions: ext(ctx, { indicator_kind: kind, accounts: c.accounts.length, ...body }),
  });
  const out: StixObject[] = [];
  const hashes = campaignKeyedHashes(c, sketches, ctx.key);
  if (hashes.length > 0) {
    const kinds = [...new Set(hashes.map((h) => h.kind))].join(', ');
    out.push(
      base(
        'infrastructure',
        `${label}: shared infrastructure`,
        `Keyed hashes of ${hashes.length} infrastructure values (${kinds}) shared by accounts of the campaign.`,
        infraPattern(ctx.key.id, hashes),
        { keyed_hashes: hashes },
      ),
    );
  }
  const templates = campaignTemplates(c, sketches, ctx.key);
  if (templates.length > 0) {
    const body = {
      template_sketches: templates.map((t) => ({ algorithm: 'minhash-keyed-slots-v1', ...t })),
      lsh: { rows: LSH_ROWS },
      min_similarity: ctx.minTemplateSimilarity,
    };
    out.push(
      base(
        'template',
        `${label}: prompt templates`,
        `Keyed MinHash sketches of ${templates.length} prompt templates used by the campaign.`,
        templatePattern(ctx.key.id, templates),
        body,
      ),
    );
  }
  const buckets = campaignBehaviour(c, sketches);
  if (Object.keys(buckets).length > 0) {
    const fingerprint = createHash('sha256').update(canonicalJson(buckets)).digest('hex').slice(0, 32);
    out.push(
      base(
        'behaviour',
        `${label}: behavioural fingerprint`,
        'Bucketed mean per-account signals of the campaign.',
        behaviourPattern(buckets),
        { behaviour: { buckets, fingerprint } },
      ),
    );
  }
  return out;
}

/** All objects describing one campaign; nothing in them is a raw identifier or prompt. */
export function buildCampaignObjects(
  c: Campaign,
  sketches: ReadonlyMap<string, AccountSketch>,
  ctx: CampaignContext,
): Built {
  const label = `Distillation campaign ${keyedHash(ctx.key, 'campaign', c.id).slice(0, 10)}`;
  const createdMs = c.first_seen_ts;
  const modifiedMs = Math.max(c.last_seen_ts, c.first_flagged_ts ?? 0, createdMs);
  const created = stixTimestamp(createdMs);
  const modified = stixTimestamp(modifiedMs);
  const validUntil = stixTimestamp(modifiedMs + ctx.validDays * DAY_MS);
  const campaignId = stixId('campaign', { producer: ctx.producerId, campaign: label, key_id: ctx.key.id });
  const intrusionSetId = stixId('intrusion-set', {
    producer: ctx.producerId,
    campaign: label,
    key_id: ctx.key.id,
  });
  const infraId = stixId('infrastructure', { producer: ctx.producerId, campaign: label, key_id: ctx.key.id });
  const span = { first_seen: created, last_seen: modified };
  const inds = indicators(c, sketches, ctx, label, [created, modified, validUntil]);
  const summary = {
    accounts: c.accounts.length,
    exchanges: c.exchanges,
    window_start: created,
    window_end: modified,
  };
  const summaryId = `${TRAFFIC_SUMMARY_TYPE}--${canonicalUuid(summary)}`;
  const observedId = stixId('observed-data', {
    producer: ctx.producerId,
    campaign: label,
    summary: summaryId,
  });
  const infraHashes = inds.find(
    (i) =>
      (i.extensions as Record<string, { indicator_kind?: string; keyed_hashes?: unknown }>)[
        DISTILLATION_EXTENSION_ID
      ]?.indicator_kind === 'infrastructure',
  );
  const objects: StixObject[] = [
    {
      type: 'campaign',
      id: campaignId,
      ...common(ctx, created, modified),
      name: label,
      description: `Model-distillation campaign: ${c.accounts.length} accounts, ${c.exchanges} exchanges, score ${c.score.toFixed(2)}.`,
      ...span,
      objective: 'Collect model outputs at scale to train an imitation model (distillation).',
      confidence: Math.round(c.score * 100),
    },
    {
      type: 'intrusion-set',
      id: intrusionSetId,
      ...common(ctx, created, modified),
      name: `Operator of ${label}`,
      ...span,
      goals: ['extract model capabilities'],
    },
    {
      type: 'infrastructure',
      id: infraId,
      ...common(ctx, created, modified),
      name: `${label}: access infrastructure`,
      infrastructure_types: ['exfiltration'],
      ...span,
      ...(infraHashes
        ? {
            extensions: ext(ctx, {
              indicator_kind: 'campaign-infrastructure',
              keyed_hashes: (infraHashes.extensions as Record<string, { keyed_hashes: unknown }>)[
                DISTILLATION_EXTENSION_ID
              ]?.keyed_hashes,
            }),
          }
        : {}),
    },
    {
      type: TRAFFIC_SUMMARY_TYPE,
      id: summaryId,
      spec_version: '2.1',
      ...summary,
      object_marking_refs: [ctx.markingId],
      extensions: { [DISTILLATION_EXTENSION_ID]: { extension_type: 'new-sco' } },
    },
    {
      type: 'observed-data',
      id: observedId,
      ...common(ctx, created, modified),
      first_observed: created,
      last_observed: modified,
      number_observed: Math.min(999_999_999, Math.max(1, c.exchanges)),
      object_refs: [summaryId],
    },
    ...inds,
    relationship(ctx, campaignId, 'attributed-to', intrusionSetId, created, modified),
    relationship(ctx, campaignId, 'uses', ATLAS_EXTRACT_AI_MODEL_ID, created, modified),
    relationship(ctx, campaignId, 'uses', infraId, created, modified),
    relationship(ctx, intrusionSetId, 'uses', ATLAS_EXTRACT_AI_MODEL_ID, created, modified),
  ];
  for (const ind of inds) {
    objects.push(relationship(ctx, ind.id, 'indicates', campaignId, created, modified));
    objects.push(relationship(ctx, ind.id, 'based-on', observedId, created, modified));
  }
  const main = inds[0];
  if (main) {
    objects.push({
      type: 'sighting',
      id: stixId('sighting', { of: main.id, by: ctx.producerId, observed: observedId }),
      ...common(ctx, created, modified),
      sighting_of_ref: main.id,
      where_sighted_refs: [ctx.producerId],
      observed_data_refs: [observedId],
      first_seen: created,
      last_seen: modified,
      count: Math.min(999_999_999, c.accounts.length),
      summary: false,
    });
  }
  return { campaignId, objects };
}

/** SCO ids are UUIDv5 over the object's identifying content in the STIX namespace (spec 2.9). */
function canonicalUuid(content: Record<string, unknown>): string {
  return stixId('x', content, STIX_SCO_NAMESPACE).slice(3);
}
