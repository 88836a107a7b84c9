import { bundleOf, producerIdentity } from './bundle.js';
import { DISTILLATION_EXTENSION_ID, TRAFFIC_SUMMARY_TYPE } from './extension.js';
import { canonicalJson, stixId, stixTimestamp, STIX_SCO_NAMESPACE } from './ids.js';
import type { SightingRecord } from './match.js';
import { tlpMarking, tlpMarkingId, type TlpLevel } from './tlp.js';
import type { StixBundle, StixObject } from './types.js';

/**
 * Turns local matches of a peer's indicators into STIX sightings to post back to that peer:
 * who saw it (our identity), how many accounts and exchanges (counts only), and when.
 * The sighted indicator ids are the peer's; everything else is in the bundle.
 * @example buildSightingBundle(matcher.sightings(), { producer: { name: 'Provider B' } })
 */
export function buildSightingBundle(
  records: readonly SightingRecord[],
  opts: { producer: { name: string; contact?: string }; tlp?: TlpLevel },
): StixBundle & { objects: StixObject[] } {
  const tlp = opts.tlp ?? 'amber';
  const me = producerIdentity(opts.producer);
  const marking = tlpMarkingId(tlp);
  const objects: StixObject[] = [tlpMarking(tlp) as unknown as StixObject, me];
  for (const r of records) {
    const first = stixTimestamp(r.firstTs);
    const last = stixTimestamp(Math.max(r.lastTs, r.firstTs));
    const summary = { accounts: r.accounts, exchanges: r.exchanges, window_start: first, window_end: last };
    const scoId = stixId(TRAFFIC_SUMMARY_TYPE, summary, STIX_SCO_NAMESPACE);
    const common = {
      spec_version: '2.1',
      created: first,
      modified: last,
      created_by_ref: me.id,
      object_marking_refs: [marking],
    };
    const observedId = stixId('observed-data', {
      by: me.id,
      of: r.indicatorId,
      summary: canonicalJson(summary),
    });
    objects.push(
      {
        type: TRAFFIC_SUMMARY_TYPE,
        id: scoId,
        spec_version: '2.1',
        ...summary,
        object_marking_refs: [marking],
        extensions: { [DISTILLATION_EXTENSION_ID]: { extension_type: 'new-sco' } },
      },
      {
        type: 'observed-data',
        id: observedId,
        ...common,
        first_observed: first,
        last_observed: last,
        number_observed: Math.min(999_999_999, Math.max(1, r.exchanges)),
        object_refs: [scoId],
      },
      {
        type: 'sighting',
        id: stixId('sighting', { of: r.indicatorId, by: me.id, created: first }),
        ...common,
        sighting_of_ref: r.indicatorId,
        where_sighted_refs: [me.id],
        observed_data_refs: [observedId],
        first_seen: first,
        last_seen: last,
        count: Math.min(999_999_999, r.accounts),
        description: `Matched locally on ${r.accounts} account(s), ${r.exchanges} exchanges.`,
      },
    );
  }
  return bundleOf(objects);
}
