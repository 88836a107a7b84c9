import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AccountSketch, Campaign, UsageError } from '../../domain/index.js';
import type { StixValidator, TaxiiAuth, TlpLevel } from '../../intel/index.js';
import type { IntelStore } from '../../ports/index.js';

const load = () => import('../../intel/index.js');

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function tlpOf(v: string): Promise<TlpLevel> {
  const { TLP_LEVELS } = await load();
  const level = TLP_LEVELS.find((l) => l === v.toLowerCase());
  if (!level) throw new UsageError(`unknown TLP level "${v}" (use ${TLP_LEVELS.join(', ')})`);
  return level;
}

async function validatorOrNull(dir?: string): Promise<StixValidator | null> {
  const { createStixValidator, defaultSchemaDir } = await load();
  const d = dir ?? defaultSchemaDir();
  if (!existsSync(d)) {
    say(`stillwatch: STIX schemas not found at ${d}; objects get structural checks only (set --schemas)`);
    return null;
  }
  return createStixValidator(d);
}

async function keyRing(file?: string) {
  const { loadCommunityKeyRing } = await load();
  const loaded = loadCommunityKeyRing(file !== undefined ? { file } : {});
  if (loaded.source === 'local-default')
    say(
      'stillwatch: no community key configured: using the local default key; peers cannot match these hashes',
    );
  else say(`stillwatch: community key ${loaded.ring.current.id} (from ${loaded.source})`);
  return loaded.ring;
}

function readScan(dir: string): { campaigns: Campaign[]; sketches: AccountSketch[] } {
  const read = (f: string): string => {
    try {
      return readFileSync(`${dir}/${f}`, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${dir}/${f}: is ${dir} the output folder of \`stillwatch scan\`?`);
    }
  };
  const campaigns = z
    .object({ campaigns: z.array(Campaign) })
    .parse(JSON.parse(read('campaigns.json'))).campaigns;
  const sketches = read('sketches.ndjson')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => AccountSketch.parse(JSON.parse(l)));
  return { campaigns, sketches };
}

function peerAuth(flags: { user?: string; passwordEnv?: string; tokenEnv?: string }): TaxiiAuth {
  if (flags.user !== undefined) {
    const name = flags.passwordEnv ?? 'STILLWATCH_TAXII_PASSWORD';
    const password = process.env[name];
    if (!password) throw new UsageError(`--user needs the password in $${name}`);
    return { kind: 'basic', username: flags.user, password };
  }
  const name = flags.tokenEnv ?? 'STILLWATCH_TAXII_TOKEN';
  const token = process.env[name];
  if (!token)
    throw new UsageError(`set $${name} to the bearer token for the peer (or use --user with --password-env)`);
  return { kind: 'bearer', token };
}

async function withStore<T>(path: string, fn: (s: IntelStore) => Promise<T>): Promise<T> {
  const { createSqliteIntelStore } = await import('../../store/sqlite/index.js');
  const store = createSqliteIntelStore(path);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

interface ExportFlags {
  scan?: string;
  db?: string;
  collection?: string;
  out?: string;
  producer: string;
  tlp: string;
  minScore: string;
  communityKeyFile?: string;
  schemas?: string;
}

async function exportAction(f: ExportFlags): Promise<void> {
  const { buildStixBundle, bundleOf, definitionObjects, publishLocal, TLP_LEVELS } = await load();
  const validator = await validatorOrNull(f.schemas);
  let bundle: ReturnType<typeof bundleOf>;
  if (f.scan !== undefined) {
    const ring = await keyRing(f.communityKeyFile);
    const built = buildStixBundle(readScan(f.scan), {
      key: ring.current,
      producer: { name: f.producer },
      tlp: await tlpOf(f.tlp),
      minScore: Number(f.minScore),
    });
    bundle = built;
    if (f.db !== undefined) {
      if (f.collection === undefined)
        throw new UsageError('--db with --scan publishes into --collection: give one');
      const collection = f.collection;
      const r = await withStore(f.db, (s) =>
        publishLocal(s, collection, [...definitionObjects(), ...built.objects], Date.now()),
      );
      say(
        `published ${r.added} new object versions into collection ${collection} (${r.duplicates} already there)`,
      );
    }
  } else {
    if (f.db === undefined || f.collection === undefined)
      throw new UsageError('give --scan DIR, or --db FILE with --collection ID');
    const { db, collection } = f;
    const clearance = await tlpOf(f.tlp);
    const objects = await withStore(db, async (s) => {
      const out: Record<string, unknown>[] = [];
      let afterSeq: number | undefined;
      for (;;) {
        const page = await s.queryObjects({
          collection,
          limit: 1000,
          ...(afterSeq !== undefined ? { afterSeq } : {}),
        });
        out.push(
          ...page.items
            .filter(
              (r) =>
                r.addedBy === 'local' &&
                r.object['type'] !== 'extension-definition' &&
                (r.tlp === null || TLP_LEVELS.indexOf(r.tlp as TlpLevel) <= TLP_LEVELS.indexOf(clearance)),
            )
            .map((r) => r.object),
        );
        afterSeq = page.items[page.items.length - 1]?.seq;
        if (!page.more) break;
      }
      return out;
    });
    bundle = bundleOf(objects.map((o) => o as { type: string; id: string }));
  }
  const issues = validator?.validateBundle(bundle) ?? [];
  if (issues.length > 0)
    throw new UsageError(
      `the bundle does not validate: ${issues
        .slice(0, 3)
        .map((i) => `${i.id}: ${i.message}`)
        .join('; ')}`,
    );
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  if (f.out !== undefined) writeFileSync(f.out, text);
  else process.stdout.write(text);
  say(
    `exported ${bundle.objects.length} STIX objects${validator ? ' (valid against the OASIS schemas)' : ''}`,
  );
}

function registerExport(intel: Command): void {
  intel
    .command('export')
    .description(
      'export a STIX 2.1 bundle from scan output (--scan) or from a local collection (--db, --collection)',
    )
    .option('--scan <dir>', 'output folder of `stillwatch scan` (campaigns.json, sketches.ndjson)')
    .option('--db <file>', 'intel SQLite store (with --scan: publish into it)')
    .option('--collection <id>', 'collection id in the intel store')
    .option('--out <file>', 'write the bundle here (default: stdout)')
    .option('--producer <name>', 'organisation name peers will see', 'stillwatch provider')
    .option('--tlp <level>', 'TLP 2.0 marking (with --db only: the highest level exported)', 'amber')
    .option('--min-score <x>', 'share campaigns scoring at least this', '0.5')
    .option('--community-key-file <file>', 'community key ring (else $STILLWATCH_COMMUNITY_KEY)')
    .option(
      '--schemas <dir>',
      'OASIS STIX 2.1 JSON schemas folder (default ../shared/stix2-json-schemas/schemas)',
    )
    .action(exportAction);
}

function registerServe(intel: Command): void {
  intel
    .command('serve')
    .description('serve local collections to peers over TAXII 2.1')
    .requiredOption(
      '--config <file>',
      'server config (YAML or JSON): API roots, collections, peers and their permissions',
    )
    .requiredOption('--db <file>', 'intel SQLite store')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', '9443')
    .option('--schemas <dir>', 'OASIS STIX 2.1 JSON schemas folder, to validate what peers post')
    .action(async (f: { config: string; db: string; host: string; port: string; schemas?: string }) => {
      const port = Number(f.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be 0..65535');
      const { listenTaxii, TaxiiServerConfig } = await load();
      const { parse: parseYaml } = await import('yaml');
      const ServeFile = z
        .object({ taxii: TaxiiServerConfig })
        .or(TaxiiServerConfig.transform((taxii) => ({ taxii })));
      const parsed = ServeFile.safeParse(parseYaml(readFileSync(f.config, 'utf8')));
      if (!parsed.success)
        throw new UsageError(
          `bad config ${f.config}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const validator = await validatorOrNull(f.schemas);
      const { createSqliteIntelStore } = await import('../../store/sqlite/index.js');
      const store = createSqliteIntelStore(f.db);
      const srv = await listenTaxii(
        { config: parsed.data.taxii, store, ...(validator ? { validator } : {}) },
        { host: f.host, port },
      );
      process.stdout.write(`TAXII 2.1 server at ${srv.url}/taxii2/\n`);
      const stop = (): void => {
        void srv.close().finally(() => void store.close());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

interface PeerFlags {
  peer: string;
  collection: string;
  db: string;
  peerId: string;
  user?: string;
  passwordEnv?: string;
  tokenEnv?: string;
}

function peerOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--peer <url>', "the peer's API root URL, e.g. https://peer.example/intel/")
    .requiredOption('--collection <id>', "the peer's collection id")
    .requiredOption('--db <file>', 'local intel SQLite store')
    .option('--peer-id <id>', 'local name of the peer', 'peer')
    .option('--user <name>', 'HTTP Basic user (password from --password-env)')
    .option(
      '--password-env <var>',
      'environment variable holding the Basic password',
      'STILLWATCH_TAXII_PASSWORD',
    )
    .option('--token-env <var>', 'environment variable holding the bearer token', 'STILLWATCH_TAXII_TOKEN');
}

interface PullFlags extends PeerFlags {
  match?: string;
  reportSightings?: boolean;
  sightingsCollection?: string;
  producer: string;
  communityKeyFile?: string;
  schemas?: string;
}

async function pullAction(f: PullFlags): Promise<void> {
  const { createIntelMatcher, createTaxiiClient, pullFromPeer, reportSightings } = await load();
  const client = createTaxiiClient({ apiRoot: f.peer, auth: peerAuth(f) });
  const validator = await validatorOrNull(f.schemas);
  await withStore(f.db, async (store) => {
    const r = await pullFromPeer({
      client,
      store,
      peerId: f.peerId,
      apiRoot: f.peer,
      remoteCollection: f.collection,
      ...(validator ? { validator } : {}),
      now: Date.now(),
    });
    say(`pulled ${r.received} objects from ${f.peerId}: ${r.stored} new, ${r.rejected} rejected`);
    if (f.match === undefined) return;
    const known = await store.queryObjects({ collection: `peer:${f.peerId}`, limit: 100_000 });
    const matcher = createIntelMatcher(
      known.items.map((i) => i.object),
      await keyRing(f.communityKeyFile),
    );
    const { sketches } = readScan(f.match);
    const findings = sketches.flatMap((s) => {
      const finding = matcher.match(s);
      return finding ? [{ account: s.account, finding }] : [];
    });
    writeFileSync(
      `${f.match}/peer-findings.ndjson`,
      findings.map((x) => JSON.stringify(x)).join('\n') + (findings.length ? '\n' : ''),
    );
    say(
      `${matcher.indicators} usable indicators (${matcher.skipped} skipped); ${findings.length} local accounts match → ${f.match}/peer-findings.ndjson`,
    );
    if (f.reportSightings) {
      const s = await reportSightings({
        client,
        remoteCollection: f.sightingsCollection ?? f.collection,
        records: matcher.sightings(),
        producer: { name: f.producer },
      });
      say(`posted ${s.sent} sighting objects back to ${f.peerId}`);
    }
  });
}

/** `stillwatch intel export|serve|pull|push`: share distillation intelligence over STIX 2.1 / TAXII 2.1. */
export function registerIntel(program: Command): void {
  const intel = program
    .command('intel')
    .description('share distillation-attack intelligence with peers (STIX 2.1 over TAXII 2.1)');
  registerExport(intel);
  registerServe(intel);
  peerOptions(
    intel
      .command('pull')
      .description("pull a peer's collection; optionally match it against a scan and post sightings back"),
  )
    .option(
      '--match <dir>',
      'scan output folder whose sketches.ndjson to match against the pulled indicators',
    )
    .option('--report-sightings', 'post sightings of matched indicators back to the peer')
    .option('--sightings-collection <id>', 'peer collection for sightings (default: --collection)')
    .option('--producer <name>', 'our organisation name on sightings', 'stillwatch provider')
    .option('--community-key-file <file>', 'community key ring (else $STILLWATCH_COMMUNITY_KEY)')
    .option('--schemas <dir>', 'OASIS STIX 2.1 JSON schemas folder')
    .action(pullAction);
  peerOptions(
    intel.command('push').description('push a local collection to a peer (TLP re-share rules applied)'),
  )
    .requiredOption('--from <collection>', 'local collection to push')
    .option('--clearance <level>', "the peer's TLP clearance", 'amber')
    .action(async (f: PeerFlags & { from: string; clearance: string }) => {
      const { createTaxiiClient, pushToPeer } = await load();
      const client = createTaxiiClient({ apiRoot: f.peer, auth: peerAuth(f) });
      const r = await withStore(f.db, async (store) =>
        pushToPeer({
          client,
          store,
          localCollection: f.from,
          remoteCollection: f.collection,
          clearance: await tlpOf(f.clearance),
        }),
      );
      const failed = r.statuses.reduce((a, s) => a + s.failure_count, 0);
      say(`pushed ${r.sent} objects (${r.withheld} withheld by TLP), ${failed} refused by the peer`);
    });
}
