import { z } from 'zod';
import { AccountSketch, Campaign, StillwatchError } from '../../domain/index.js';
import { ATLAS_EXTRACT_AI_MODEL } from './atlas.js';
import { buildCampaignObjects } from './campaign-objects.js';
import { sketchInfra } from './evidence.js';
import { DISTILLATION_EXTENSION_DEFINITION, STILLWATCH_PROJECT_IDENTITY } from './extension.js';
import { canonicalJson, stixId } from './ids.js';
import type { CommunityKey } from './keys.js';
import { TLP_LEVELS, tlpMarking, tlpMarkingId, type TlpLevel } from './tlp.js';
import { objectVersion, type StixBundle, type StixObject } from './types.js';

export const BuildInput = z.object({ campaigns: z.array(Campaign), sketches: z.array(AccountSketch) });
export type BuildInput = z.infer<typeof BuildInput>;

export interface BuildOptions {
  key: CommunityKey;
  /** The sharing organisation, as peers will see it. */
  producer: { name: string; contact?: string };
  /** Marking of every object produced (default AMBER: peers may act on it but not pass it on). */
  tlp?: TlpLevel;
  /** Campaigns scoring below this are not shared (default 0.5). */
  minScore?: number;
  /** How long indicators stay valid after the campaign was last seen (default 30 days). */
  validDays?: number;
  /** Template similarity a peer should require before calling a template a match (default 0.5). */
  minTemplateSimilarity?: number;
}

export function producerIdentity(producer: { name: string; contact?: string }): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId('identity', { name: producer.name, identity_class: 'organization' }),
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: producer.name,
    identity_class: 'organization',
    sectors: ['technology'],
    ...(producer.contact ? { contact_information: producer.contact } : {}),
  };
}

/**
 * The extension-definition and its author. They travel through TAXII collections, not inside
 * bundles: the official bundle.json checks types it does not enumerate (extension-definition,
 * note, opinion, grouping, location, incident) with `oneOf: [core, cyber-observable-core]`,
 * and every SDO matches both branches, so no bundle holding one can validate.
 */
export function definitionObjects(): StixObject[] {
  return [{ ...STILLWATCH_PROJECT_IDENTITY }, { ...DISTILLATION_EXTENSION_DEFINITION }];
}

/** Identical objects appear once. Bundle ids are UUIDv5 over the (id, version) list, so the same content gives the same bundle id. */
export function bundleOf(objects: readonly StixObject[]): StixBundle & { objects: StixObject[] } {
  const unique = dedupe(objects);
  const content = unique.map((o) => `${o.id}@${objectVersion(o)}`).sort();
  return { type: 'bundle', id: stixId('bundle', content), objects: unique };
}

/** Every raw identifier in the input, for the last-line check that none leaves in a bundle. */
export function rawValuesOf(input: BuildInput): Set<string> {
  const raw = new Set<string>();
  for (const s of input.sketches) {
    raw.add(s.account);
    for (const [, v] of sketchInfra(s)) raw.add(v);
    if (s.signup.org) raw.add(s.signup.org);
  }
  for (const c of input.campaigns) {
    raw.add(c.id);
    for (const a of c.accounts) raw.add(a);
    for (const e of c.edges) for (const r of e.reasons) raw.add(r.value);
  }
  return raw;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[0-9A-Za-z]/.test(c);
}

/**
 * Raw values found in the bundle's strings, bounded so that a short value inside a longer
 * token (a digit run inside a hex hash) does not count. Empty means nothing raw is in it.
 */
export function findRawLeaks(value: unknown, raw: ReadonlySet<string>): string[] {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        strings.push(k);
        walk(x);
      }
    }
  };
  walk(value);
  const text = strings.join('\n').toLowerCase();
  // Every bounded match starts a word, so a value whose leading word is not a word of the text
  // cannot match: one pass over the text replaces most of the per-value searches.
  const words = new Set(text.split(/[^0-9a-z]+/));
  const leaks: string[] = [];
  for (const r of raw) {
    const needle = r.trim().toLowerCase();
    if (needle.length < 3) continue;
    const lead = /^[0-9a-z]+/.exec(needle)?.[0];
    if (lead !== undefined && !words.has(lead)) continue;
    if (lead === needle) {
      leaks.push(r);
      continue;
    }
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      if (!isWordChar(text[at - 1]) && !isWordChar(text[at + needle.length])) {
        leaks.push(r);
        break;
      }
    }
  }
  return leaks;
}

/**
 * Maps campaigns and account sketches to a STIX 2.1 bundle that peers can use and that leaks
 * nothing about users: every identifier is HMAC'd under `options.key`, prompts appear only as
 * keyed MinHash slots, and traffic only as counts. Pure and deterministic.
 * @example buildStixBundle({ campaigns, sketches }, { key, producer: { name: 'Provider A' } })
 */
export function buildStixBundle(
  input: BuildInput,
  options: BuildOptions,
): StixBundle & { objects: StixObject[] } {
  const parsed = BuildInput.parse(input);
  const tlp = options.tlp ?? 'amber';
  if (!TLP_LEVELS.includes(tlp))
    throw new StillwatchError('INVALID_INPUT', `unknown TLP level ${String(tlp)}`);
  const producer = producerIdentity(options.producer);
  const ctx = {
    key: options.key,
    producerId: producer.id,
    markingId: tlpMarkingId(tlp),
    validDays: options.validDays ?? 30,
    minTemplateSimilarity: options.minTemplateSimilarity ?? 0.5,
  };
  const sketches = new Map(parsed.sketches.map((s) => [s.account, s]));
  const campaigns = parsed.campaigns
    .filter((c) => c.score >= (options.minScore ?? 0.5))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const objects: StixObject[] = [tlpMarking(tlp) as unknown as StixObject, producer];
  for (const c of campaigns) objects.push(...buildCampaignObjects(c, sketches, ctx).objects);
  if (campaigns.length > 0) objects.push({ ...ATLAS_EXTRACT_AI_MODEL });
  const unique = dedupe(objects);
  const leaks = findRawLeaks(unique, rawValuesOf(parsed));
  if (leaks.length > 0) {
    // Never print the values themselves: the count is enough to stop the export.
    throw new StillwatchError(
      'INTERNAL',
      `refusing to export: ${leaks.length} raw identifier(s) would leave in the bundle`,
    );
  }
  return bundleOf(unique);
}

function dedupe(objects: readonly StixObject[]): StixObject[] {
  const seen = new Map<string, StixObject>();
  for (const o of objects) {
    const k = `${o.id}@${objectVersion(o)}`;
    const prev = seen.get(k);
    if (prev && canonicalJson(prev) !== canonicalJson(o)) {
      throw new StillwatchError('INTERNAL', `two different objects share ${k}`);
    }
    seen.set(k, o);
  }
  return [...seen.values()];
}
