import type { CampaignSignals, ScoreParams } from './score.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface CorrelationOptions {
  /** Edge weight needed to link two accounts; each family but payment is capped below it (see keys.ts). */
  edgeThreshold: number;
  /** Pairs weighing at least this share of the edge threshold are kept as candidate edges. */
  keepRatio: number;
  /** Campaign score at or above which a group is flagged (calibration in docs/CORRELATION.md). */
  flagThreshold: number;
  /** Fewest accounts a campaign can have. */
  minSize: number;
  /** Values taken per infrastructure list of a sketch. */
  perKind: number;
  /** Width of a signup-burst bucket. */
  burstMs: number;
  /** Buckets up to this size keep all members as link candidates. */
  fullMembers: number;
  /** Bottom-k sample per bucket (coherence and candidates of large buckets). */
  sample: number;
  /** First members of a large bucket every newcomer is compared with. */
  anchors: number;
  /** Keys whose current weight (base × specificity) is below this do not propose link candidates. */
  candidateFloor: number;
  /** Most pairs compared per account and update (rarest keys first). */
  maxCandidates: number;
  /** Most candidate edges stored per account and update (the first found are the strongest ties). */
  maxNewEdges: number;
  /** Accounts assumed to exist before any is seen (keeps early values from all looking rare). */
  populationFloor: number;
  /** Weight outside a key's family that makes two of its holders "related" (coherence). */
  relatedWeight: number;
  /** An unflagged group is re-scored at most this often unless it grew. */
  rescoreMs: number;
  /** The re-check interval of a group that neither grows nor passes doubles up to this. */
  maxRescoreMs: number;
  /** Largest component walked when refining (a guard, far above any expected campaign). */
  maxComponent: number;
  /** Most edges listed per campaign in `campaigns()` (a spanning forest is listed first). */
  maxEdgesListed: number;
  score: ScoreParams;
  /** Called with every group the stage scores (flagged or not): for calibration and diagnostics. */
  observe?: (group: readonly string[], signals: CampaignSignals, nowTs: number) => void;
}

export const DEFAULT_OPTIONS: CorrelationOptions = {
  edgeThreshold: 1.0,
  keepRatio: 0.6,
  flagThreshold: 0.5,
  minSize: 2,
  perKind: 8,
  burstMs: HOUR,
  fullMembers: 64,
  sample: 16,
  anchors: 16,
  candidateFloor: 0.1,
  maxCandidates: 64,
  maxNewEdges: 16,
  populationFloor: 10_000,
  relatedWeight: 0.45,
  rescoreMs: 15 * MINUTE,
  maxRescoreMs: 4 * HOUR,
  maxComponent: 250_000,
  maxEdgesListed: 2_000,
  score: {
    elicitationSignals: ['reasoning_share', 'structured_reasoning_share', 'grader_share', 'logprob_share'],
    templateSignal: 'template_coherence',
    pivotSignal: 'release_pivot_share',
    outputRatioSignal: 'output_input_ratio',
    outputRatioRamp: [6, 16],
    pooledHalfExchanges: 10,
    burstWindowMs: 6 * HOUR,
  },
};

export type CorrelationOverrides = Partial<Omit<CorrelationOptions, 'score'>> & { score?: Partial<ScoreParams> };

export function resolveOptions(overrides: CorrelationOverrides = {}): CorrelationOptions {
  return { ...DEFAULT_OPTIONS, ...overrides, score: { ...DEFAULT_OPTIONS.score, ...overrides.score } };
}
