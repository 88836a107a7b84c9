import type { Rng } from './rng.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Activity by local hour, peak = 1. */
export type Shape = readonly number[];

/** People at leisure: low at night, rising through the day, evening peak. */
export const CASUAL: Shape = [
  0.18, 0.1, 0.06, 0.04, 0.04, 0.06, 0.12, 0.25, 0.4, 0.5, 0.58, 0.64, 0.7, 0.7, 0.68, 0.68, 0.7, 0.74, 0.8,
  0.9, 1, 0.95, 0.7, 0.4,
];
/** Office hours with a lunch dip. */
export const WORK: Shape = [
  0.04, 0.03, 0.02, 0.02, 0.02, 0.04, 0.08, 0.2, 0.55, 0.9, 1, 0.95, 0.7, 0.85, 1, 0.95, 0.85, 0.6, 0.35,
  0.28, 0.26, 0.22, 0.14, 0.08,
];
/** Students: late mornings, strong evenings, into the night before deadlines. */
export const STUDENT: Shape = [
  0.35, 0.2, 0.1, 0.05, 0.03, 0.03, 0.05, 0.12, 0.3, 0.5, 0.6, 0.6, 0.55, 0.6, 0.7, 0.75, 0.8, 0.8, 0.75,
  0.85, 1, 1, 0.9, 0.65,
];
/** Machines: the same at every hour. */
export const FLAT: Shape = new Array<number>(24).fill(1);
/** A nightly batch window, 01:00–05:00 local. */
export const NIGHTLY: Shape = [0.05, 1, 1, 1, 1, 0.6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** Local hour (0–23) of an instant for a UTC offset in hours. */
export function localHour(ts: number, tz: number): number {
  return Math.floor(((((ts + tz * HOUR) % DAY) + DAY) % DAY) / HOUR);
}

/** Day of week, 0 = Monday, in local time (the window starts on a Monday). */
export function localWeekday(ts: number, tz: number): number {
  const days = Math.floor((ts + tz * HOUR) / DAY);
  return (((days + 3) % 7) + 7) % 7;
}

export interface Rhythm {
  readonly shape: Shape;
  readonly tz: number;
  /** Multiplier on Saturday and Sunday. */
  readonly weekend: number;
}

export function intensity(r: Rhythm, ts: number): number {
  const h = r.shape[localHour(ts, r.tz)] ?? 0;
  return localWeekday(ts, r.tz) >= 5 ? h * r.weekend : h;
}

/**
 * Next arrival of a non-homogeneous Poisson process by thinning: candidates at the peak rate, each kept
 * with probability intensity(t). `perDay` is the rate at peak intensity, in arrivals per day.
 */
export function nextArrival(rng: Rng, r: Rhythm, from: number, perDay: number, until: number): number {
  if (perDay <= 0) return Infinity;
  const mean = DAY / perDay;
  const peak = Math.max(1, r.weekend);
  let t = from;
  for (let guard = 0; guard < 100_000; guard++) {
    t += rng.exponential(mean / peak);
    if (t >= until) return Infinity;
    if (rng.next() * peak < intensity(r, t)) return t;
  }
  return Infinity;
}
