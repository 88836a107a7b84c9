import type { z } from 'zod';
import type { AccountFeatures } from '../features/index.js';
import type { Finding } from '../domain/index.js';

/** Benign reference distribution of one signal, from `stillwatch calibrate`. */
export interface SignalBaseline {
  p50: number;
  p90: number;
  p99: number;
}

/** What a detector may read besides the features: benign baselines from the calibration file. */
export interface DetectContext {
  baselines: Readonly<Record<string, SignalBaseline>>;
}

/** Signal families: the combiner requires several independent families to agree. */
export type Family =
  | 'volume'
  | 'shape'
  | 'timing'
  | 'template'
  | 'reasoning'
  | 'grading'
  | 'capability'
  | 'conversation'
  | 'release_pivot'
  | 'account_meta'
  | 'distribution_shift';

/**
 * Declarative half of a detector: data only (id, description, the features it reads and
 * the schema of its parameters, defaults included), so the console and docs can list it.
 */
export interface DetectorDefinition<P> {
  id: string;
  title: string;
  description: string;
  family: Family;
  inputs: readonly (keyof AccountFeatures)[];
  params: z.ZodType<P>;
}

/** Pure half: features (+ params, baselines) → a finding with evidence, or null when silent. */
export type DetectFn<P> = (features: AccountFeatures, params: P, ctx: DetectContext) => Finding | null;

export interface Detector<P = unknown> {
  definition: DetectorDefinition<P>;
  detect: DetectFn<P>;
}
