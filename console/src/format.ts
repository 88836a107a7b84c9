import type { Target } from './types.js';
export const fmtTs = (ts: number | null | undefined): string => (ts === null || ts === undefined ? '—' : new Date(ts).toISOString().replace('T', ' ').slice(0, 16) + 'Z');
export const fmtNum = (n: number): string => n.toLocaleString('en-US');
export const describeTarget = (t: Target): string => {
  switch (t.kind) {
    case 'account':
      return `account ${t.account}`;
    case 'end_user':
      return `end user ${t.account} / ${t.end_user}`;
    case 'campaign':
      return `campaign ${t.campaign}`;
    case 'ip':
    case 'cidr':
    case 'asn':
    case 'tls_fp':
      return `${t.kind} ${t.value}`;
  }
};
