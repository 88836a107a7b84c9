import type { AccountResult } from '../domain/index.js';
import { EvalInputError } from './inputs.js';
import type { LabelLine } from './inputs.js';

/**
 * The thing being judged. `account` units are label lines without `end_user` (the verdict
 * on the account as a whole); `end_user` units are label lines with one (the verdict on one
 * end user behind a reseller or app). A benign reseller whose whole account is flagged is a
 * false positive at the account level even if one of its end users attacks; that end user
 * counts as caught only through its own end-user result.
 */
export type Level = 'account' | 'end_user';

export interface Unit {
  key: string;
  account: string;
  end_user: string | null;
  level: Level;
  label: 'benign' | 'attack';
  persona: string;
  /** True campaign id (attacks); null for benign units and for attacks outside any campaign. */
  campaign: string | null;
  /** The scan's verdict; null when the scan never saw this account or end user. */
  result: AccountResult | null;
}

export interface JoinedUnits {
  units: Unit[];
  /** Results whose (account, end_user) has no label line: counted, never scored. */
  unlabelled: string[];
}

const SEP = '\u001f';

/** Join key for (account, end_user); the separator cannot occur in ids read from JSON text unescaped. */
export function unitKey(account: string, endUser: string | null | undefined): string {
  return endUser === undefined || endUser === null ? account : `${account}${SEP}${endUser}`;
}

/** Human form of a unit key: "account" or "account/end_user". */
export function displayKey(key: string): string {
  return key.replace(SEP, '/');
}

/** Joins label lines with scan results on (account, end_user); duplicates on either side are input errors. */
export function joinUnits(labels: LabelLine[], results: AccountResult[], labelsPath = 'labels', resultsPath = 'results'): JoinedUnits {
  const problems: string[] = [];
  const byKey = new Map<string, AccountResult>();
  for (const r of results) {
    const key = unitKey(r.account, r.end_user);
    if (byKey.has(key)) problems.push(`${resultsPath}: duplicate result for ${displayKey(key)}`);
    byKey.set(key, r);
  }
  const units: Unit[] = [];
  const seen = new Set<string>();
  for (const l of labels) {
    const key = unitKey(l.account, l.end_user);
    if (seen.has(key)) {
      problems.push(`${labelsPath}: duplicate label for ${displayKey(key)}`);
      continue;
    }
    seen.add(key);
    units.push({
      key,
      account: l.account,
      end_user: l.end_user ?? null,
      level: l.end_user === undefined ? 'account' : 'end_user',
      label: l.label,
      persona: l.persona,
      campaign: l.label === 'attack' ? l.campaign : null,
      result: byKey.get(key) ?? null,
    });
  }
  if (problems.length > 0) throw new EvalInputError(problems);
  const unlabelled = [...byKey.keys()].filter((k) => !seen.has(k)).map(displayKey);
  return { units, unlabelled };
}

export function isFlagged(u: Unit): boolean {
  return u.result?.flagged === true;
}
