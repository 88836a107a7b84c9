/** Who is calling, as identified from the request. Never holds the raw API key. */
export interface Caller {
  account: string;
  /** Short, non-reversible id of the key (a prefix of its SHA-256). */
  keyId: string;
  org: string | undefined;
  endUser: string | undefined;
  ip: string | undefined;
  asn: string | undefined;
  tlsFp: string | undefined;
  userAgent: string | undefined;
}
