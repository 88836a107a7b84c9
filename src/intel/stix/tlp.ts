/**
 * The official TLP 2.0 marking-definition objects (OASIS cti-stix-common-objects), copied
 * value for value; `tlp.test.ts` compares them with the files in ../shared so a wrong id
 * (several circulate in public code) cannot creep in.
 */
export const TLP_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

const IDS: Record<TlpLevel, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export interface TlpMarkingDefinition {
  type: 'marking-definition';
  spec_version: '2.1';
  id: string;
  created: string;
  name: string;
  extensions: Record<string, { extension_type: 'property-extension'; tlp_2_0: TlpLevel }>;
}

export function tlpMarkingId(level: TlpLevel): string {
  return IDS[level];
}

export function tlpMarking(level: TlpLevel): TlpMarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

const BY_ID = new Map<string, TlpLevel>(TLP_LEVELS.map((l) => [IDS[l], l]));

export function tlpLevelOfMarking(markingId: string): TlpLevel | undefined {
  return BY_ID.get(markingId);
}

export function tlpRank(level: TlpLevel): number {
  return TLP_LEVELS.indexOf(level);
}

/**
 * The most restrictive TLP level among an object's markings, or `undefined` if it carries none.
 * Granular markings count too: one red field makes the whole object red for sharing purposes.
 */
export function tlpOfObject(obj: Readonly<Record<string, unknown>>): TlpLevel | undefined {
  let worst: TlpLevel | undefined;
  const refs: unknown[] = [];
  if (Array.isArray(obj['object_marking_refs'])) refs.push(...(obj['object_marking_refs'] as unknown[]));
  if (Array.isArray(obj['granular_markings'])) {
    for (const g of obj['granular_markings'] as unknown[]) {
      if (g !== null && typeof g === 'object') refs.push((g as { marking_ref?: unknown }).marking_ref);
    }
  }
  for (const r of refs) {
    const level = typeof r === 'string' ? tlpLevelOfMarking(r) : undefined;
    if (level !== undefined && (worst === undefined || tlpRank(level) > tlpRank(worst))) worst = level;
  }
  return worst;
}

/**
 * TLP 2.0 sharing rules, as a decision a server or client can apply on every read and re-share.
 * - `clearance`: the most restrictive level this recipient may receive.
 * - Objects received from a peer may be passed on to others only when CLEAR or GREEN
 *   (community-wide); AMBER, AMBER+STRICT and RED stay with the organisation that received them.
 * - Unmarked objects are treated as `unmarkedAs` (AMBER by default: the cautious reading).
 */
export function mayShare(
  obj: Readonly<Record<string, unknown>>,
  opts: { clearance: TlpLevel; reshare: boolean; unmarkedAs?: TlpLevel },
): boolean {
  const level = tlpOfObject(obj) ?? opts.unmarkedAs ?? 'amber';
  if (tlpRank(level) > tlpRank(opts.clearance)) return false;
  if (opts.reshare && tlpRank(level) > tlpRank('green')) return false;
  return true;
}
