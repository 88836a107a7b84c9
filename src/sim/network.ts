import { hexDigest, type Rng } from './rng.js';

export type NetType = 'residential' | 'mobile' | 'university' | 'datacenter' | 'corporate' | 'proxy';

/** An address block: ASN plus a /16 prefix; hosts are drawn inside it. */
export interface Block {
  readonly asn: number;
  readonly prefix: readonly [number, number];
  readonly country: string;
  readonly kind: NetType;
}

/** Country → UTC offset in hours (standard time; the window sits before most DST changes). */
export const COUNTRY_TZ: Readonly<Record<string, number>> = {
  US: -6,
  CA: -5,
  BR: -3,
  GB: 0,
  DE: 1,
  FR: 1,
  NL: 1,
  PL: 1,
  RU: 3,
  IN: 5.5,
  SG: 8,
  CN: 8,
  KR: 9,
  JP: 9,
  AU: 10,
};

/** Where ordinary users come from, roughly by API traffic share. */
export const USER_COUNTRIES: readonly (readonly [string, number])[] = [
  ['US', 34],
  ['IN', 10],
  ['GB', 6],
  ['DE', 6],
  ['FR', 4],
  ['BR', 5],
  ['CA', 4],
  ['JP', 4],
  ['KR', 3],
  ['CN', 3],
  ['SG', 2],
  ['AU', 3],
  ['NL', 2],
  ['PL', 2],
  ['RU', 2],
];

const b = (asn: number, p0: number, p1: number, country: string, kind: NetType): Block => ({
  asn,
  prefix: [p0, p1],
  country,
  kind,
});

const RESIDENTIAL: readonly Block[] = [
  b(7922, 73, 15, 'US', 'residential'),
  b(7922, 98, 207, 'US', 'residential'),
  b(701, 71, 178, 'US', 'residential'),
  b(701, 108, 28, 'US', 'residential'),
  b(7018, 99, 36, 'US', 'residential'),
  b(20115, 24, 177, 'US', 'residential'),
  b(812, 99, 232, 'CA', 'residential'),
  b(577, 70, 52, 'CA', 'residential'),
  b(3320, 79, 192, 'DE', 'residential'),
  b(3320, 91, 42, 'DE', 'residential'),
  b(2856, 86, 140, 'GB', 'residential'),
  b(5089, 82, 15, 'GB', 'residential'),
  b(3215, 90, 27, 'FR', 'residential'),
  b(1136, 84, 80, 'NL', 'residential'),
  b(5617, 83, 24, 'PL', 'residential'),
  b(12389, 95, 24, 'RU', 'residential'),
  b(55836, 49, 36, 'IN', 'residential'),
  b(24560, 122, 161, 'IN', 'residential'),
  b(4134, 113, 87, 'CN', 'residential'),
  b(4134, 183, 14, 'CN', 'residential'),
  b(4837, 123, 112, 'CN', 'residential'),
  b(4713, 153, 156, 'JP', 'residential'),
  b(2516, 106, 73, 'JP', 'residential'),
  b(4766, 121, 134, 'KR', 'residential'),
  b(28573, 177, 32, 'BR', 'residential'),
  b(18881, 189, 100, 'BR', 'residential'),
  b(1221, 110, 140, 'AU', 'residential'),
  b(9506, 116, 86, 'SG', 'residential'),
];

const MOBILE: readonly Block[] = [
  b(21928, 172, 56, 'US', 'mobile'),
  b(22394, 174, 205, 'US', 'mobile'),
  b(3209, 109, 40, 'DE', 'mobile'),
  b(25135, 85, 255, 'GB', 'mobile'),
  b(9808, 112, 17, 'CN', 'mobile'),
  b(55836, 157, 35, 'IN', 'mobile'),
  b(26599, 191, 56, 'BR', 'mobile'),
  b(2516, 1, 72, 'JP', 'mobile'),
  b(51207, 92, 184, 'FR', 'mobile'),
];

const UNIVERSITY: readonly Block[] = [
  b(3, 18, 29, 'US', 'university'),
  b(25, 128, 32, 'US', 'university'),
  b(32, 171, 64, 'US', 'university'),
  b(786, 129, 67, 'GB', 'university'),
  b(4538, 166, 111, 'CN', 'university'),
  b(559, 129, 132, 'DE', 'university'),
  b(2907, 133, 11, 'JP', 'university'),
  b(7575, 129, 94, 'AU', 'university'),
  b(239, 128, 100, 'CA', 'university'),
];

const DATACENTER: readonly Block[] = [
  b(16509, 3, 85, 'US', 'datacenter'),
  b(16509, 18, 207, 'US', 'datacenter'),
  b(16509, 52, 14, 'US', 'datacenter'),
  b(14618, 54, 166, 'US', 'datacenter'),
  b(15169, 34, 121, 'US', 'datacenter'),
  b(396982, 35, 203, 'US', 'datacenter'),
  b(8075, 20, 42, 'US', 'datacenter'),
  b(8075, 40, 76, 'NL', 'datacenter'),
  b(14061, 159, 65, 'US', 'datacenter'),
  b(14061, 167, 99, 'DE', 'datacenter'),
  b(24940, 88, 99, 'DE', 'datacenter'),
  b(24940, 116, 202, 'DE', 'datacenter'),
  b(16276, 51, 77, 'FR', 'datacenter'),
  b(63949, 172, 104, 'US', 'datacenter'),
  b(45102, 47, 88, 'SG', 'datacenter'),
  b(45102, 47, 243, 'US', 'datacenter'),
  b(132203, 43, 134, 'SG', 'datacenter'),
  b(20473, 45, 76, 'US', 'datacenter'),
];

export const BLOCKS = { RESIDENTIAL, MOBILE, UNIVERSITY, DATACENTER } as const;

export function blocksIn(list: readonly Block[], country: string): readonly Block[] {
  const here = list.filter((x) => x.country === country);
  return here.length > 0 ? here : list;
}

export function ipIn(block: Block, third: number, fourth: number): string {
  return `${block.prefix[0]}.${block.prefix[1]}.${third & 255}.${fourth & 255}`;
}

/** A corporate block with its own ASN: a fixed /24 that no one else uses. */
export function corporateBlock(rng: Rng, country: string): Block {
  const p0 = rng.pick([63, 64, 66, 144, 149, 161, 192, 198, 204, 205, 206]);
  return { asn: rng.int(30000, 62000), prefix: [p0, rng.int(0, 255)], country, kind: 'corporate' };
}

/** A client software stack: what the user agent says and the TLS fingerprint its library produces. */
export interface Client {
  readonly ua: string;
  readonly tls: string;
}

/** JA4-shaped fingerprint, stable per TLS library (not per user: many users share a stack). */
export function ja4(stack: string, ciphers: number, exts: number, alpn: 'h2' | 'h1'): string {
  return `t13d${String(ciphers).padStart(2, '0')}${String(exts).padStart(2, '0')}${alpn}_${hexDigest(`c:${stack}`, 12)}_${hexDigest(`e:${stack}`, 12)}`;
}

const TLS = {
  python: ja4('openssl3-python', 18, 12, 'h1'),
  pythonHttpx2: ja4('openssl3-python-h2', 18, 13, 'h2'),
  node: ja4('node20-openssl', 17, 11, 'h2'),
  go: ja4('go-crypto-tls', 13, 10, 'h2'),
  curl: ja4('curl-openssl', 31, 10, 'h2'),
  chrome: ja4('boringssl-chrome', 15, 16, 'h2'),
  safari: ja4('apple-securetransport', 20, 14, 'h2'),
  firefox: ja4('nss-firefox', 17, 15, 'h2'),
  rust: ja4('rustls', 9, 8, 'h2'),
} as const;

const PY_VERSIONS = ['1.54.3', '1.54.4', '1.55.3', '1.57.0', '1.58.1', '1.59.6', '1.61.0'];
const NODE_VERSIONS = ['4.68.4', '4.71.0', '4.73.1', '4.77.0', '4.79.1'];

export function sdkClient(rng: Rng, kind: 'python' | 'node' | 'any' = 'any'): Client {
  const k = kind === 'any' ? (rng.chance(0.62) ? 'python' : 'node') : kind;
  if (k === 'python') {
    const v = rng.pick(PY_VERSIONS);
    return rng.chance(0.2)
      ? { ua: `AsyncOpenAI/Python ${v}`, tls: TLS.pythonHttpx2 }
      : { ua: `OpenAI/Python ${v}`, tls: TLS.python };
  }
  return { ua: `OpenAI/NodeJS ${rng.pick(NODE_VERSIONS)}`, tls: TLS.node };
}

export function browserClient(rng: Rng): Client {
  const r = rng.next();
  if (r < 0.55) {
    const os = rng.pick([
      'Windows NT 10.0; Win64; x64',
      'Macintosh; Intel Mac OS X 10_15_7',
      'X11; Linux x86_64',
    ]);
    return {
      ua: `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${rng.int(129, 132)}.0.0.0 Safari/537.36`,
      tls: TLS.chrome,
    };
  }
  if (r < 0.85) {
    return {
      ua: `Mozilla/5.0 (iPhone; CPU iPhone OS 18_${rng.int(0, 2)} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.${rng.int(0, 2)} Mobile/15E148 Safari/604.1`,
      tls: TLS.safari,
    };
  }
  return {
    ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${rng.int(131, 133)}.0) Gecko/20100101 Firefox/${rng.int(131, 133)}.0`,
    tls: TLS.firefox,
  };
}

export function agentClient(rng: Rng): Client {
  return rng.weighted<Client>([
    [{ ua: `aider/0.${rng.int(60, 68)}.${rng.int(0, 3)}`, tls: TLS.python }, 3],
    [{ ua: `Cline/3.${rng.int(0, 4)}.${rng.int(0, 9)}`, tls: TLS.node }, 3],
    [{ ua: `continue/0.8.${rng.int(50, 66)} (vscode)`, tls: TLS.node }, 2],
    [
      {
        ua: `langchain-openai/0.2.${rng.int(6, 14)} OpenAI/Python ${rng.pick(PY_VERSIONS)}`,
        tls: TLS.python,
      },
      2,
    ],
    [{ ua: `OpenAI/Python ${rng.pick(PY_VERSIONS)}`, tls: TLS.python }, 3],
  ]);
}

export function scriptClient(rng: Rng): Client {
  return rng.weighted<Client>([
    [{ ua: `python-requests/2.32.${rng.int(2, 3)}`, tls: TLS.python }, 3],
    [{ ua: `python-httpx/0.27.${rng.int(0, 2)}`, tls: TLS.pythonHttpx2 }, 2],
    [{ ua: 'curl/8.5.0', tls: TLS.curl }, 1],
    [{ ua: 'Go-http-client/2.0', tls: TLS.go }, 2],
    [{ ua: `axios/1.7.${rng.int(4, 9)}`, tls: TLS.node }, 1],
    [{ ua: `litellm/1.5${rng.int(0, 9)}.${rng.int(0, 9)}`, tls: TLS.python }, 1],
  ]);
}

/** Custom extraction tooling: an unusual stack whose fingerprint a whole cluster shares. */
export function toolingClient(rng: Rng): Client {
  return rng.weighted<Client>([
    [{ ua: 'Go-http-client/2.0', tls: TLS.go }, 3],
    [{ ua: `reqwest/0.12.${rng.int(4, 9)}`, tls: TLS.rust }, 2],
    [{ ua: 'curl/8.5.0', tls: TLS.curl }, 1],
    [{ ua: `python-httpx/0.27.${rng.int(0, 2)}`, tls: ja4(`custom-${rng.hex(6)}`, 16, 11, 'h2') }, 2],
  ]);
}
