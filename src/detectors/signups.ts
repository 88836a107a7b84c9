import type { AccountRecord } from '../domain/index.js';
import type { AccountMeta } from '../features/index.js';
import { subnetOf } from '../features/index.js';

const DAY = 86_400_000;

interface MetaEntry {
  meta: AccountMeta;
  subnetDayKey: string | null;
}

/**
 * Signup metadata by account, and signup-burst counts: accounts created from the same /24
 * on the same day, and accounts sharing a payment fingerprint. One entry per account and
 * at most two counter keys per account, so it grows with accounts, never with events.
 */
export class SignupRegistry {
  private readonly byAccount = new Map<string, MetaEntry>();
  private readonly subnetDay = new Map<string, number>();
  private readonly payment = new Map<string, number>();

  add(rec: AccountRecord): void {
    if (this.byAccount.has(rec.account)) return; // first record wins: idempotent on replays
    const subnetDayKey =
      rec.signup_ip === undefined ? null : `${Math.floor(rec.created / DAY)}|${subnetOf(rec.signup_ip)}`;
    if (subnetDayKey !== null) this.subnetDay.set(subnetDayKey, (this.subnetDay.get(subnetDayKey) ?? 0) + 1);
    if (rec.payment_fp !== undefined)
      this.payment.set(rec.payment_fp, (this.payment.get(rec.payment_fp) ?? 0) + 1);
    this.byAccount.set(rec.account, {
      subnetDayKey,
      meta: {
        created: rec.created,
        org: rec.org ?? null,
        emailDomain: rec.email_domain ?? null,
        paymentFp: rec.payment_fp ?? null,
        tier: rec.tier ?? null,
        verified: rec.verified ?? null,
        signupIp: rec.signup_ip ?? null,
        signupCluster: 1,
      },
    });
  }

  /** The account's metadata with its signup-burst size as of now, or null without a record. */
  get(account: string): AccountMeta | null {
    const e = this.byAccount.get(account);
    if (e === undefined) return null;
    const bySubnet = e.subnetDayKey === null ? 1 : (this.subnetDay.get(e.subnetDayKey) ?? 1);
    const byPayment = e.meta.paymentFp === null ? 1 : (this.payment.get(e.meta.paymentFp) ?? 1);
    e.meta.signupCluster = Math.max(bySubnet, byPayment);
    return e.meta;
  }

  size(): number {
    return this.byAccount.size;
  }
}
