/**
 * STIX ingest throughput: how many STIX 2.1 objects per second stillwatch takes in from a peer.
 * Measured end to end through the TAXII "add objects" endpoint (HTTP handling in process, JSON
 * parse, zod, the official OASIS JSON schemas, pattern parsing, SQLite write), and per stage.
 * For context, users report 2-20 bundles/s for OpenCTI and 33-340 attributes/s for MISP imports.
 *
 *   npm run bench:intel -- [--campaigns 300] [--runs 3]
 * Prints its figures, then one line `RESULT {json}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildStixBundle,
  createStixValidator,
  createTaxiiApp,
  parseCommunityKeyRing,
  sha256Hex,
  StixObject,
  type StixObject as StixObjectT,
} from '../src/intel/index.js';
import { createSqliteIntelStore } from '../src/store/sqlite/intel-store.js';
import { attackScenario, randomSignature, rng } from '../src/intel/stix/fixtures/scenario.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} expects a positive number`);
  return v;
};
const CAMPAIGNS = arg('campaigns', 300);
const RUNS = arg('runs', 3);
const TARGET = 10_000;
const TAXII = 'application/taxii+json;version=2.1';
const COL = '7c1f3a52-0d4e-4b6a-9c2d-1e2f3a4b5c6d';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
/** CPU seconds this process used: on a shared, loaded machine wall time mostly measures the neighbours. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function corpus(): StixObjectT[] {
  const key = parseCommunityKeyRing(`bench:${'ab'.repeat(32)}`).current;
  const campaigns = [];
  const sketches = [];
  for (let i = 0; i < CAMPAIGNS; i++) {
    const r = rng(i + 1);
    const pool = Array.from({ length: 6 }, (_, k) => `10.${i % 250}.${Math.floor(i / 250)}.${k + 1}`);
    const s = attackScenario({
      seed: i + 1,
      n: 8 + (i % 9),
      prefix: `c${i}`,
      template: randomSignature(r),
      pool,
      tls: `tls-${i}`,
      payment: `pay-${i}`,
    });
    campaigns.push({
      ...s.campaign,
      first_seen_ts: s.campaign.first_seen_ts + i * 60_000,
      last_seen_ts: s.campaign.last_seen_ts + i * 60_000,
    });
    sketches.push(...s.sketches);
  }
  return buildStixBundle({ campaigns, sketches }, { key, producer: { name: 'Bench Provider' } }).objects;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const objects = corpus();
  const n = objects.length;
  const validator = createStixValidator(
    process.env['STILLWATCH_STIX_SCHEMAS'] ?? '../shared/stix2-json-schemas/schemas',
  );
  const envelopes: string[] = [];
  for (let i = 0; i < n; i += 1000) envelopes.push(JSON.stringify({ objects: objects.slice(i, i + 1000) }));
  const bytes = envelopes.reduce((a, e) => a + e.length, 0);
  console.log(
    `corpus: ${n} STIX objects from ${CAMPAIGNS} campaigns, ${(bytes / 1e6).toFixed(1)} MB in ${envelopes.length} envelopes`,
  );

  // ajv compiles each schema on first use; compile once before timing (a server does it at start).
  const t0 = performance.now();
  for (const o of objects.slice(0, 200)) validator.validateObject(o);
  validator.validateBundle({
    type: 'bundle',
    id: 'bundle--00000000-0000-4000-8000-000000000000',
    objects: objects.slice(0, 200),
  });
  console.log(`schema load + compile: ${((performance.now() - t0) / 1000).toFixed(2)} s (once per process)`);
  const dir = mkdtempSync(join(tmpdir(), 'stix-ingest-'));
  const res = {
    parse: [] as number[],
    validate: [] as number[],
    bundle: [] as number[],
    store: [] as number[],
    taxii: [] as number[],
    taxiiCpu: [] as number[],
  };
  try {
    for (let run = 0; run < RUNS; run++) {
      let parsed: unknown[] = [];
      res.parse.push(
        n /
          time(() => (parsed = envelopes.flatMap((e) => (JSON.parse(e) as { objects: unknown[] }).objects))),
      );
      res.validate.push(
        n /
          time(() => {
            for (const o of parsed)
              if (!StixObject.safeParse(o).success || validator.validateObject(o).length > 0)
                throw new Error('invalid object in corpus');
          }),
      );
      res.bundle.push(
        n /
          time(
            () =>
              void validator.validateBundle({
                type: 'bundle',
                id: 'bundle--00000000-0000-4000-8000-000000000000',
                objects,
              }),
          ),
      );
      const store = createSqliteIntelStore(join(dir, `store-${run}.db`));
      const records = objects.map((o) => ({
        collection: COL,
        id: o.id,
        type: o.type,
        version: o.modified ?? o.created ?? '1970-01-01T00:00:00.000Z',
        versionMs: Date.parse(o.modified ?? o.created ?? '1970-01-01T00:00:00.000Z'),
        specVersion: '2.1',
        mediaType: 'application/stix+json;version=2.1',
        dateAdded: run,
        addedBy: 'peer',
        tlp: 'amber',
        object: o,
      }));
      res.store.push(n / (await timeAsync(async () => void (await store.putObjects(records)))));
      await store.close();

      const taxiiStore = createSqliteIntelStore(join(dir, `taxii-${run}.db`));
      const app = createTaxiiApp({
        store: taxiiStore,
        validator,
        config: {
          api_roots: [{ name: 'r', title: 'bench', collections: [{ id: COL, title: 'c' }] }],
          peers: [{ id: 'p', token_sha256: [sha256Hex('t')], permissions: { [COL]: 'read-write' } }],
        },
      });
      let accepted = 0;
      const cpu0 = cpuSeconds();
      const secs = await timeAsync(async () => {
        for (const body of envelopes) {
          const r = await app.request(`/r/collections/${COL}/objects/`, {
            method: 'POST',
            body,
            headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: 'Bearer t' },
          });
          accepted += ((await r.json()) as { success_count: number }).success_count;
        }
      });
      if (accepted !== n) throw new Error(`TAXII accepted ${accepted} of ${n}`);
      res.taxii.push(n / secs);
      res.taxiiCpu.push(n / (cpuSeconds() - cpu0));
      await taxiiStore.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`JSON parse:                          ${fmt(median(res.parse))} objects/s`);
  console.log(`zod + official schemas + patterns:   ${fmt(median(res.validate))} objects/s`);
  console.log(`whole-bundle checks (refs resolve):  ${fmt(median(res.bundle))} objects/s`);
  console.log(`SQLite IntelStore write:             ${fmt(median(res.store))} objects/s`);
  console.log(
    `TAXII add-objects end to end:        ${fmt(median(res.taxii))} objects/s wall, ${fmt(median(res.taxiiCpu))} objects per CPU-second  (target ${fmt(TARGET)})`,
  );
  console.log(
    `load average during the run: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${(await import('node:os')).availableParallelism()} cores`,
  );
  console.log(
    'context: OpenCTI users report 2-20 bundles/s, MISP users 33-340 attributes/s (not measured here)',
  );
  const result = {
    bench: 'stix-ingest',
    objects: n,
    runs: RUNS,
    taxii_ingest_objects_per_s: Math.round(median(res.taxii)),
    taxii_ingest_objects_per_cpu_s: Math.round(median(res.taxiiCpu)),
    load_average_1m: Number(loadavg()[0]?.toFixed(1)),
    validate_objects_per_s: Math.round(median(res.validate)),
    bundle_check_objects_per_s: Math.round(median(res.bundle)),
    sqlite_write_objects_per_s: Math.round(median(res.store)),
    parse_objects_per_s: Math.round(median(res.parse)),
    target_objects_per_s: TARGET,
    meets_target_wall: median(res.taxii) >= TARGET,
    meets_target_cpu: median(res.taxiiCpu) >= TARGET,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

await main();
