/**
 * Two providers on loopback. A detects a distillation campaign in simulated traffic and
 * publishes it over TAXII; B pulls it, matches it in its own traffic (which shares part of the
 * campaign's infrastructure and templates), flags those accounts earlier than it would alone,
 * and posts sightings back. Every byte that crosses between them is recorded and checked for
 * raw identifiers and prompt text.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountResult, AccountSketch } from '../../src/domain/index.js';
import {
  buildOpinion,
  buildStixBundle,
  createIntelMatcher,
  createStixValidator,
  createTaxiiClient,
  definitionObjects,
  findRawLeaks,
  listenTaxii,
  parseCommunityKeyRing,
  publishLocal,
  producerIdentity,
  pullFromPeer,
  reportSightings,
  tlpMarkingId,
  sha256Hex,
  type RunningTaxiiServer,
} from '../../src/intel/index.js';
import { runScan, type ScanOutcome } from '../../src/pipeline/index.js';
import { loadCorpora, resolveCorporaDir, runSim } from '../../src/sim/index.js';
import { createMemoryIntelStore } from '../../src/store/memory/intel-store.js';

const START = '2026-03-02T00:00:00.000Z';
const SHARED = Number(process.env['E2E_SHARED'] ?? 6);
const INTEL = 'a0c1d2e3-0000-4000-8000-00000000000a';
const SIGHTINGS = 'a0c1d2e3-0000-4000-8000-00000000000b';
const B_INTEL = 'b0c1d2e3-0000-4000-8000-00000000000a';
const ring = parseCommunityKeyRing(`community-2026-11:${'5e'.repeat(32)}`);
const validator = createStixValidator('../shared/stix2-json-schemas/schemas');

interface Line {
  type?: string;
  id?: string;
  ts?: number | string;
  account?: string;
  key?: string;
  messages?: { content: unknown }[];
  prompt?: string;
}

function readLines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

/** B's traffic: its own simulated users plus part of A's campaign (renamed accounts, same infrastructure and prompts). */
function transplant(bEvents: string, aEvents: string, accounts: Set<string>, out: string): Set<string> {
  const moved = new Set<string>();
  const lines = readLines(bEvents);
  for (const l of readLines(aEvents)) {
    if (l.account === undefined || !accounts.has(l.account) || l.type === 'model_release') continue;
    const account = `b-${l.account}`;
    moved.add(account);
    if (l.type === 'account') {
      // The operator signed up at B separately: its own payment instrument, e-mail and signup address.
      const n = moved.size;
      lines.push({
        ...l,
        account,
        payment_fp: `pm_b_${n}_${'9'.repeat(8)}`,
        email_domain: `mail${n}.example`,
        signup_ip: `192.0.2.${n}`,
      } as Line);
      continue;
    }
    lines.push({
      ...l,
      account,
      ...(l.id !== undefined ? { id: `b-${l.id}` } : {}),
      ...(l.key !== undefined ? { key: `b-${l.key}` } : {}),
    });
  }
  const tsOf = (l: Line): number =>
    l.type === 'account' ? 0 : typeof l.ts === 'number' ? l.ts : Date.parse(String(l.ts ?? 0));
  lines.sort((x, y) => tsOf(x) - tsOf(y));
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return moved;
}

function sketchRaw(sketches: readonly AccountSketch[]): Set<string> {
  const raw = new Set<string>();
  for (const s of sketches) {
    raw.add(s.account);
    for (const v of [
      ...s.infra.ips,
      ...s.infra.tls_fps,
      ...s.infra.user_agents,
      s.signup.signup_ip,
      s.signup.payment_fp,
    ])
      if (v) raw.add(v);
  }
  return raw;
}

function promptSnippets(file: string, accounts: Set<string>, n: number): string[] {
  const out: string[] = [];
  for (const l of readLines(file)) {
    if (out.length >= n) break;
    if (l.account === undefined || !accounts.has(l.account)) continue;
    const text = l.prompt ?? JSON.stringify(l.messages?.[l.messages.length - 1]?.content ?? '');
    const snippet = text.replace(/^"|"$/g, '').slice(0, 40);
    if (snippet.length >= 20) out.push(snippet);
  }
  return out;
}

const exchangesToFlag = (r: AccountResult | undefined): number =>
  r === undefined ? 0 : (r.exchanges_before_flag ?? r.exchanges);

describe('intel sharing between two providers on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillwatch-intel-e2e-'));
  const wire: string[] = [];
  const stores = { a: createMemoryIntelStore(), b: createMemoryIntelStore() };
  let serverA: RunningTaxiiServer;
  let serverB: RunningTaxiiServer;
  let scanA: ScanOutcome;
  let alone: ScanOutcome;
  let withIntel: ScanOutcome;
  let moved: Set<string>;
  let pulled: Awaited<ReturnType<typeof pullFromPeer>>;
  let sightingsPosted: Awaited<ReturnType<typeof reportSightings>>;
  let matchedByIntel = 0;
  let opinionStatus: { success_count: number }[] = [];

  /** B's HTTP client; records every request and response body that crosses the wire. */
  const recordingFetch: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string') wire.push(init.body);
    const res = await fetch(input, init);
    const text = await res.clone().text();
    wire.push(text);
    return res;
  };

  beforeAll(async () => {
    const corpora = loadCorpora(resolveCorporaDir());
    const sim = (seed: number, out: string) =>
      runSim({ seed, scale: 0.1, days: 1, evasion: 0, out: join(dir, out), start: START }, { corpora });
    sim(21, 'a');
    sim(22, 'b');
    scanA = await runScan({
      inputs: [join(dir, 'a', 'events.ndjson')],
      outDir: join(dir, 'a-out'),
      workers: 1,
    });

    // A publishes what it found to its TAXII server; B may read intel and write sightings.
    const bundle = buildStixBundle(
      { campaigns: scanA.campaigns, sketches: scanA.sketches },
      { key: ring.current, producer: { name: 'Provider A' }, tlp: 'amber' },
    );
    expect(validator.validateBundle(bundle)).toEqual([]);
    await publishLocal(stores.a, INTEL, [...definitionObjects(), ...bundle.objects], Date.now());
    serverA = await listenTaxii(
      {
        store: stores.a,
        validator,
        config: {
          api_roots: [
            {
              name: 'intel',
              title: 'Provider A intel',
              collections: [
                { id: INTEL, title: 'Distillation campaigns' },
                { id: SIGHTINGS, title: 'Sightings from peers' },
              ],
            },
          ],
          peers: [
            {
              id: 'provider-b',
              token_sha256: [sha256Hex('token-for-b')],
              clearance: 'amber',
              permissions: { [INTEL]: 'read', [SIGHTINGS]: 'read-write' },
            },
          ],
        },
      },
      { host: '127.0.0.1', port: 0 },
    );
    serverB = await listenTaxii(
      {
        store: stores.b,
        config: {
          api_roots: [
            {
              name: 'intel',
              title: 'Provider B intel',
              collections: [{ id: B_INTEL, title: 'Distillation campaigns' }],
            },
          ],
          peers: [
            {
              id: 'provider-a',
              basic: { username: 'provider-a', password_sha256: sha256Hex('password-for-a') },
              clearance: 'amber',
              permissions: { [B_INTEL]: 'read' },
            },
          ],
        },
      },
      { host: '127.0.0.1', port: 0 },
    );

    // B's traffic shares part of A's largest campaign: same proxies, TLS stack, payment instrument, templates.
    const biggest = [...scanA.campaigns].sort((x, y) => y.size - x.size)[0];
    if (!biggest) throw new Error('provider A found no campaign in the simulated traffic');
    const share = new Set(biggest.accounts.filter((_, i) => i % 3 === 0).slice(0, SHARED));
    moved = transplant(
      join(dir, 'b', 'events.ndjson'),
      join(dir, 'a', 'events.ndjson'),
      share,
      join(dir, 'b-events.ndjson'),
    );

    const client = createTaxiiClient({
      apiRoot: `${serverA.url}/intel/`,
      auth: { kind: 'bearer', token: 'token-for-b' },
      fetch: recordingFetch,
    });
    pulled = await pullFromPeer({
      client,
      store: stores.b,
      peerId: 'provider-a',
      apiRoot: `${serverA.url}/intel/`,
      remoteCollection: INTEL,
      validator,
      now: Date.now(),
    });
    const matcher = createIntelMatcher(pulled.objects, ring);
    alone = await runScan({
      inputs: [join(dir, 'b-events.ndjson')],
      outDir: join(dir, 'b-alone'),
      workers: 1,
    });
    withIntel = await runScan({
      inputs: [join(dir, 'b-events.ndjson')],
      outDir: join(dir, 'b-intel'),
      workers: 1,
      intel: {
        matcher: {
          match: (s) => {
            const f = matcher.match(s);
            if (f) matchedByIntel++;
            return f;
          },
        },
      },
    });
    sightingsPosted = await reportSightings({
      client,
      remoteCollection: SIGHTINGS,
      records: matcher.sightings(),
      producer: { name: 'Provider B' },
    });
    // B also tells A what it thinks of the campaign: the STIX way to confirm or dispute shared intel.
    const campaign = pulled.objects.find((o) => o.type === 'campaign');
    if (campaign) {
      const opinion = buildOpinion({
        authorRef: producerIdentity({ name: 'Provider B' }).id,
        objectRefs: [campaign.id],
        opinion: 'agree',
        explanation: 'Seen in our traffic too.',
        atMs: Date.now(),
        markingId: tlpMarkingId('amber'),
      });
      opinionStatus = await client.addObjects(SIGHTINGS, [opinion]);
    }
  }, 240_000);

  afterAll(async () => {
    await serverA?.close();
    await serverB?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provider A detects a campaign and publishes valid STIX over TAXII', () => {
    expect(scanA.campaigns.length).toBeGreaterThan(0);
    expect(pulled.rejected).toBe(0);
    expect(pulled.objects.some((o) => o.type === 'indicator')).toBe(true);
    expect(pulled.objects.some((o) => o.type === 'campaign')).toBe(true);
  });

  it('provider B matches the shared campaign in its own traffic', () => {
    expect(moved.size).toBeGreaterThan(3);
    expect(matchedByIntel).toBeGreaterThan(0);
    const flagged = withIntel.accounts.filter(
      (r) => moved.has(r.account) && r.reasons.some((f) => f.detector === 'peer_intel'),
    );
    expect(flagged.length).toBeGreaterThanOrEqual(Math.ceil(moved.size / 2));
    // B's own users are not swept up by A's indicators.
    const benignHits = withIntel.accounts.filter(
      (r) => !moved.has(r.account) && r.reasons.some((f) => f.detector === 'peer_intel'),
    );
    expect(benignHits.length).toBeLessThanOrEqual(2);
  });

  it('flags the shared accounts after fewer exchanges than B would alone', () => {
    const byAccount = (o: ScanOutcome) =>
      new Map(o.accounts.filter((r) => r.end_user === undefined).map((r) => [r.account, r]));
    const a = byAccount(alone);
    const w = byAccount(withIntel);
    let before = 0;
    let after = 0;
    for (const acct of moved) {
      before += exchangesToFlag(a.get(acct));
      after += exchangesToFlag(w.get(acct));
    }
    const flaggedAlone = [...moved].filter((x) => a.get(x)?.flagged).length;
    const flaggedWith = [...moved].filter((x) => w.get(x)?.flagged).length;
    process.stdout.write(
      `shared accounts ${moved.size}: exchanges before flag alone ${before}, with peer intel ${after}; flagged ${flaggedAlone} → ${flaggedWith}\n`,
    );
    expect(after).toBeLessThan(before);
    expect(flaggedWith).toBeGreaterThanOrEqual(flaggedAlone);
  });

  it('posts sightings back, and A receives them as valid STIX about its own indicators', async () => {
    expect(sightingsPosted.sent).toBeGreaterThan(0);
    expect(sightingsPosted.statuses.every((s) => s.failure_count === 0)).toBe(true);
    const page = await stores.a.queryObjects({ collection: SIGHTINGS, limit: 1000, types: ['sighting'] });
    const ourIndicators = new Set(pulled.objects.filter((o) => o.type === 'indicator').map((o) => o.id));
    expect(page.items.length).toBeGreaterThan(0);
    for (const r of page.items) {
      expect(ourIndicators.has(String(r.object['sighting_of_ref']))).toBe(true);
      expect(r.addedBy).toBe('provider-b');
    }
  });

  it('lets B confirm or dispute the campaign with a STIX opinion', async () => {
    expect(opinionStatus.map((x) => x.success_count)).toEqual([1]);
    const page = await stores.a.queryObjects({ collection: SIGHTINGS, limit: 10, types: ['opinion'] });
    expect(page.items[0]?.object['opinion']).toBe('agree');
  });

  it('nothing raw crossed between the providers: no IP, account, payment, TLS, UA or prompt text', () => {
    expect(wire.length).toBeGreaterThan(2);
    const raw = new Set([...sketchRaw(scanA.sketches), ...sketchRaw(withIntel.sketches)]);
    for (const c of scanA.campaigns) raw.add(c.id);
    const prompts = [
      ...promptSnippets(
        join(dir, 'a', 'events.ndjson'),
        new Set(scanA.campaigns.flatMap((c) => c.accounts)),
        30,
      ),
      ...promptSnippets(join(dir, 'b-events.ndjson'), moved, 30),
    ];
    expect(prompts.length).toBeGreaterThan(10);
    const crossed = wire.map((body) => JSON.parse(body) as unknown);
    expect(findRawLeaks(crossed, raw)).toEqual([]);
    const text = wire.join('\n');
    for (const p of prompts) expect(text).not.toContain(p);
  });

  it('B runs its own TAXII server that A can read, with Basic auth', async () => {
    const a = createTaxiiClient({
      apiRoot: `${serverB.url}/intel/`,
      auth: { kind: 'basic', username: 'provider-a', password: 'password-for-a' },
    });
    expect((await a.collections()).map((c) => c.id)).toEqual([B_INTEL]);
    await expect(
      createTaxiiClient({
        apiRoot: `${serverB.url}/intel/`,
        auth: { kind: 'basic', username: 'provider-a', password: 'nope' },
      }).collections(),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
