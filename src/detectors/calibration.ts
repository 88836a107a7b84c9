import { z } from 'zod';
import { StillwatchError } from '../domain/index.js';
import { LEXICAL_DIM } from '../features/index.js';

const Quantiles = z.object({ p50: z.number(), p90: z.number(), p99: z.number() });

export const FAMILIES = [
  'volume',
  'shape',
  'timing',
  'template',
  'reasoning',
  'grading',
  'capability',
  'conversation',
  'release_pivot',
  'account_meta',
  'distribution_shift',
] as const;

/** Weight of each signal family within its tier (its maximum contribution, < 1). */
export const DEFAULT_WEIGHTS: Record<(typeof FAMILIES)[number], number> = {
  volume: 0.25,
  shape: 0.55,
  timing: 0.45,
  template: 0.45,
  reasoning: 0.6,
  grading: 0.55,
  capability: 0.3,
  conversation: 0.3,
  release_pivot: 0.3,
  account_meta: 0.5,
  distribution_shift: 0.35,
};

/**
 * The two tiers the combiner multiplies. Harvest: what is asked for (reasoning, soft labels,
 * long capped outputs, a capability focus, prompts unlike benign traffic). Automation: how
 * it is asked (volume, machine timing, templates, one-shot prompts, release pivots, fresh or
 * burst-created accounts). Each legitimate look-alike is strong in one tier only: batch jobs,
 * coding agents and CI bots in automation; students and researchers mostly in harvest.
 */
export const TIERS: Record<'harvest' | 'automation', readonly (typeof FAMILIES)[number][]> = {
  harvest: ['shape', 'reasoning', 'grading', 'capability', 'distribution_shift'],
  automation: ['volume', 'timing', 'template', 'conversation', 'release_pivot', 'account_meta'],
};

/**
 * The calibration file: the flag threshold derived from benign reference traffic at a
 * target false-positive rate, the benign baselines detectors cite as evidence (and the
 * distribution-shift test scores against), and how it was produced.
 */
export const Calibration = z.object({
  version: z.literal(1),
  threshold: z.number().min(0).max(1),
  target_fpr: z.number().min(0).max(1),
  /** Added to the benign quantile so the threshold sits strictly above the reference scores it was fitted on. */
  margin: z.number().min(0),
  /** The highest score any one signal family can produce on its own (0: the tiers multiply); the threshold never goes below it. */
  single_family_max: z.number().min(0).max(1),
  benign_units: z.number().int().nonnegative(),
  benign_quantile: z.number().min(0).max(1),
  baselines: z.record(z.string(), Quantiles).default({}),
  lexical_mean: z.array(z.number()).length(LEXICAL_DIM).nullable().default(null),
  weights: z.partialRecord(z.enum(FAMILIES), z.number().min(0).max(0.95)).default({}),
  params: z.record(z.string(), z.unknown()).default({}),
  produced_by: z
    .object({
      command: z.string(),
      input: z.string(),
      /** How the reference traffic itself was produced (e.g. the simulator command and its seed). */
      reference: z.string().optional(),
    })
    .optional(),
});
export type Calibration = z.infer<typeof Calibration>;

/**
 * Validates a parsed calibration file.
 * @example const cal = loadCalibration(JSON.parse(readFileSync('calibration/default.json', 'utf8')));
 */
export function loadCalibration(json: unknown): Calibration {
  const r = Calibration.safeParse(json);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new StillwatchError('INVALID_CONFIG', `invalid calibration file: ${msg}`);
  }
  return r.data;
}

/**
 * Used only when no calibration file is given at all: a conservative threshold, no baselines
 * (so the distribution-shift test is off). `stillwatch calibrate` replaces it with a fitted one.
 */
export const FALLBACK_CALIBRATION: Calibration = {
  version: 1,
  threshold: 0.6,
  target_fpr: 0.001,
  margin: 0,
  single_family_max: 0,
  benign_units: 0,
  benign_quantile: 0,
  baselines: {},
  lexical_mean: null,
  weights: {},
  params: {},
};
