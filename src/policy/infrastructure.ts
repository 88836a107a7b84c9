import type { Campaign } from '../domain/index.js';
import type { InfraKind } from './schema.js';

/** Shared infrastructure of a campaign: kind → value → accounts seen using it. */
export type InfraIndex = Partial<Record<InfraKind, Record<string, readonly string[]>>>;

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

/**
 * Maps a link reason to an enforceable infrastructure value. Hashed values (the campaign
 * record may carry keyed hashes instead of raw addresses) are not enforceable and are skipped.
 */
export function normaliseInfra(kind: string, value: string): { kind: InfraKind; value: string } | null {
  const v = value.trim();
  switch (kind) {
    case 'ip':
      return IPV4.test(v) || (v.includes(':') && IPV6.test(v)) ? { kind: 'ip', value: v.toLowerCase() } : null;
    case 'subnet24':
    case 'subnet':
    case 'cidr': {
      const three = /^(\d{1,3}\.\d{1,3}\.\d{1,3})(?:\.\d{1,3})?(?:\/24)?$/.exec(v);
      if (kind === 'subnet24' && three?.[1] && IPV4.test(`${three[1]}.0`)) return { kind: 'cidr', value: `${three[1]}.0/24` };
      const m = /^([\d.]+)\/(\d{1,2})$/.exec(v);
      if (m?.[1] && IPV4.test(m[1]) && Number(m[2]) <= 32) return { kind: 'cidr', value: v };
      return null;
    }
    case 'asn': {
      const m = /^(?:AS)?(\d{1,10})$/i.exec(v);
      return m?.[1] ? { kind: 'asn', value: `AS${m[1]}` } : null;
    }
    case 'tls_fp':
    case 'ja3':
    case 'ja4':
      return v.length > 0 && v.length <= 256 ? { kind: 'tls_fp', value: v } : null;
    default:
      return null;
  }
}

/** Collects enforceable infrastructure from the campaign's edges plus any index the caller supplies. */
export function campaignInfrastructure(campaign: Campaign, extra: InfraIndex = {}): Map<string, { kind: InfraKind; value: string; accounts: Set<string> }> {
  const out = new Map<string, { kind: InfraKind; value: string; accounts: Set<string> }>();
  const add = (kind: InfraKind, value: string, accounts: Iterable<string>): void => {
    const key = `${kind}:${value}`;
    let entry = out.get(key);
    if (!entry) {
      entry = { kind, value, accounts: new Set() };
      out.set(key, entry);
    }
    for (const a of accounts) entry.accounts.add(a);
  };
  for (const edge of campaign.edges) {
    for (const r of edge.reasons) {
      const n = normaliseInfra(r.kind, r.value);
      if (n) add(n.kind, n.value, [edge.a, edge.b]);
    }
  }
  for (const [kind, values] of Object.entries(extra) as [InfraKind, Record<string, readonly string[]>][]) {
    for (const [value, accounts] of Object.entries(values)) {
      const n = normaliseInfra(kind, value);
      if (n) add(n.kind, n.value, accounts);
    }
  }
  return out;
}
