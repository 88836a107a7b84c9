import { describe, expect, it } from 'vitest';
import { runEvaluation } from './evaluate.js';
import { EvalReport } from './report-schema.js';
import { formatReport } from './table.js';

const dir = 'src/eval/fixtures/tiny';
const paths = { labels: `${dir}/labels.ndjson`, results: `${dir}/scan` };

/*
 * The tiny world (see fixtures/tiny): benign accounts acctA, acctB (flagged, and pulled into
 * predicted campaign P1), acctC, Z (never seen by the scan), reseller R (flagged as a whole)
 * with benign end user u1 and attacking end user u2 (campaign c2, flagged into P2); hydra
 * accounts H1, H2 (flagged, P1) and H3 (missed) form c1; coverage_sweep S1 (flagged, P1) is c2.
 */
describe('runEvaluation on a hand-made scan', () => {
  it('counts false positives and recall separately for accounts, end users and both', async () => {
    const r = await runEvaluation({ ...paths, events: null });
    expect(EvalReport.parse(r)).toEqual(r);
    expect(r.scopes.account).toMatchObject({ units: 9, seen: 8, benign: 5, flagged_benign: 2, benign_fpr: 0.4, attack: 4, flagged_attack: 3, attack_recall: 0.75, precision: 0.6 });
    expect(r.scopes.end_user).toMatchObject({ units: 2, benign: 1, flagged_benign: 0, benign_fpr: 0, attack: 1, attack_recall: 1, precision: 1 });
    expect(r.scopes.all).toMatchObject({ units: 11, benign: 6, flagged_benign: 2, attack: 5, flagged_attack: 4, attack_recall: 0.8 });
    expect(r.scopes.all.benign_fpr).toBeCloseTo(1 / 3, 12);
    expect(r.counts).toMatchObject({ unseen_units: 1, unseen_sample: ['Z'], unlabelled_results: 1, unlabelled_sample: ['X'] });
  });

  it('calibrates the volume baseline to the scan\'s false positives in each unit scope', async () => {
    const r = await runEvaluation({ ...paths, events: null });
    // Benign volumes 300, 200, 100, 40, 5, 0 and two scan false positives: threshold above 100.
    expect(r.scopes.all.baseline).toMatchObject({ threshold: 101, flagged_benign: 2, flagged_attack: 0, attack_recall: 0 });
    // To catch the scan's 4 attack units by volume (80, 60, 50, 50) it needs 50, flagging 300, 200, 100 of 6 benign.
    expect(r.scopes.all.baseline).toMatchObject({ threshold_at_scan_recall: 50, benign_fpr_at_scan_recall: 0.5 });
    // Accounts only: benign 300, 200, 40, 5, 0 → threshold 41 flags H1, H2, S1 (50, 50, 80).
    expect(r.scopes.account.baseline).toMatchObject({ threshold: 41, flagged_benign: 2, flagged_attack: 3, attack_recall: 0.75 });
    expect(r.scopes.end_user.baseline).toMatchObject({ threshold: 101, flagged_attack: 0 });
  });

  it('reports flag rates per persona and level, benign rows first', async () => {
    const r = await runEvaluation({ ...paths, events: null });
    const rows = r.personas.map((p) => [p.label, p.persona, p.level, p.units, p.seen, p.flagged, p.baseline_flagged]);
    expect(rows).toEqual([
      ['benign', 'casual_chat', 'account', 3, 2, 1, 0],
      ['benign', 'enterprise_batch', 'account', 1, 1, 0, 1],
      ['benign', 'reseller', 'account', 1, 1, 1, 1],
      ['benign', 'reseller_end_user', 'end_user', 1, 1, 0, 0],
      ['attack', 'coverage_sweep', 'account', 1, 1, 1, 0],
      ['attack', 'hydra', 'account', 3, 3, 2, 0],
      ['attack', 'reseller_hidden_attacker', 'end_user', 1, 1, 1, 0],
    ]);
    expect(r.personas[0]!.flag_rate).toBeCloseTo(1 / 3, 12);
    expect(r.personas[0]!.actions).toEqual({ allow: 1, block: 1 });
  });

  it('counts end users caught up in a flag on their whole account separately', async () => {
    const r = await runEvaluation({ ...paths, events: null });
    // R is flagged as a whole: benign u1 and attacking u2 are both under it; u2 is also flagged itself.
    expect(r.spillover).toEqual({ benign_end_users_under_flagged_account: 1, attack_end_users_under_flagged_account: 1, attack_end_users_caught_only_via_account: 0 });
  });

  it('scores campaign grouping, including ties for the largest predicted campaign', async () => {
    const r = await runEvaluation({ ...paths, events: null });
    const [c1, c2] = r.campaigns;
    expect(c1).toMatchObject({ campaign: 'c1', units: 3, flagged: 2, predicted_clusters: 1, largest_predicted: 'P1', largest_cluster_share: 1 });
    expect(c1!.recall).toBeCloseTo(2 / 3, 12);
    // S1 in P1 and u2 in P2: a tie, broken by name.
    expect(c2).toMatchObject({ campaign: 'c2', units: 2, flagged: 2, recall: 1, predicted_clusters: 2, largest_predicted: 'P1', largest_cluster_share: 0.5 });
    const k = r.clustering;
    // Truth c1,c1,c1,c2,c2 vs P1,P1,{H3},P1,P2: Σ C(nij,2) = 1, Σ C(ai,2) = 4, Σ C(bj,2) = 3, C(5,2) = 10.
    expect(k.adjusted_rand).toBeCloseTo((1 - 1.2) / (3.5 - 1.2), 12);
    const hC = -(0.6 * Math.log(0.6) + 0.4 * Math.log(0.4));
    const hCgivenK = -(0.4 * Math.log(2 / 3) + 0.2 * Math.log(1 / 3));
    expect(k.homogeneity).toBeCloseTo(1 - hCgivenK / hC, 12);
    expect(k).toMatchObject({ items: 5, true_clusters: 2, predicted_clusters: 3, min_largest_cluster_share: 0.5, mean_largest_cluster_share: 0.75, campaigns_with_flags: 2, campaigns_at_or_above_90: 1, benign_in_attack_campaigns: 1, benign_in_attack_campaigns_sample: ['acctB'] });
  });

  it('counts exchanges before each campaign\'s first action exactly from the event stream', async () => {
    const r = await runEvaluation(paths); // events.ndjson beside the labels is found by default
    expect(r.inputs.events).toBe(`${dir}/events.ndjson`);
    const [c1, c2] = r.campaigns;
    // c1 acts at 3000 (H1); H1 500, 1000, 2000 and H2 2500 came before, of 7 exchanges.
    expect(c1).toMatchObject({ first_action_ts: 3000, first_event_ts: 500, time_to_first_action_ms: 2500, volume: 7, exchanges_before_first_action: 4 });
    expect(c1!.share_before_first_action).toBeCloseTo(4 / 7, 12);
    // c2 acts at 5000 (R/u2); S1 1500 and R/u2 4000 came before; R/u1 and R itself are not the campaign's.
    expect(c2).toMatchObject({ first_action_ts: 5000, volume: 4, exchanges_before_first_action: 2, share_before_first_action: 0.5, time_to_first_action_ms: 3500 });
    expect(r.latency).toMatchObject({ method: 'events', events_read: 14, event_lines_rejected: 1, campaigns: 2, campaigns_detected: 2, total_exchanges_before_first_action: 6 });
    expect(r.latency.rejected_sample[0]).toMatch(/events\.ndjson:10: ts/);
    expect(r.latency.median_share_before_first_action).toBeCloseTo((0.5 + 4 / 7) / 2, 12);
    expect(r.latency.max_share_before_first_action).toBeCloseTo(4 / 7, 12);
  });

  it('leaves out labelled units that sent no events at all, once the event file shows it', async () => {
    const r = await runEvaluation(paths);
    // Z has a label but no event and no result: silent, not a miss. Everything else sent something.
    expect(r.counts).toMatchObject({ silent_units: 1, silent_sample: ['Z'], unseen_units: 0 });
    expect(r.scopes.all).toMatchObject({ units: 10, benign: 5, flagged_benign: 2, benign_fpr: 0.4 });
    expect(r.personas[0]).toMatchObject({ persona: 'casual_chat', units: 2, flagged: 1, flag_rate: 0.5 });
  });

  it('falls back to exchanges_before_flag without events, and says so', async () => {
    const r = await runEvaluation({ ...paths, events: null });
    const [c1, c2] = r.campaigns;
    // c1: H1 10 + H2 20 before their flags, H3 never flagged (all 20); volume 50 + 50 + 20.
    expect(c1).toMatchObject({ volume: 120, exchanges_before_first_action: 50, first_event_ts: 500 });
    expect(c2).toMatchObject({ volume: 140, exchanges_before_first_action: 70 });
    expect(r.latency.method).toBe('exchanges_before_flag');
    expect(r.warnings.some((w) => w.includes('no events file'))).toBe(true);
  });

  it('prints a fixed-width table with every section', async () => {
    const text = formatReport(await runEvaluation(paths));
    for (const heading of ['Detection by unit', 'Per persona', 'Per true campaign', 'Campaign clustering', 'Latency (exact']) expect(text).toContain(heading);
    expect(text).toMatch(/^all\s+10\s+10\s+5\s+2\s+40\.0%\s+5\s+4\s+80\.0%/m);
  });
});
