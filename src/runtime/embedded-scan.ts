import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountResult, Decision } from '../domain/index.js';
import { UsageError } from '../domain/index.js';
import { loadCalibration, type Calibration } from '../detectors/index.js';
import { runScan, type ScanOptions, type ScanOutcome } from '../pipeline/index.js';
// The STIX face only: the scan writes a bundle and never serves or pulls TAXII (hono, its client).
import { buildStixBundle, loadCommunityKeyRing } from '../intel/stix/index.js';
import { evaluatePolicy, loadPolicy, strongestAction, type Policy } from '../policy/index.js';
import { createSqliteStore } from '../store/sqlite/index.js';
import { packagePath } from './paths.js';

export interface EmbeddedScanOptions extends Omit<ScanOptions, 'calibration' | 'policy'> {
  dbPath?: string;
  calibrationFile?: string;
  policyFile?: string;
  /** Community key for the STIX bundle's keyed hashes (else STILLWATCH_COMMUNITY_KEY, else a local-only key). */
  communityKeyFile?: string;
  /** The sharing organisation's name in the STIX bundle. */
  producer?: string;
}

/** The embedded mode's composition root for a scan: files in, SQLite store and output files out. */
export async function runEmbeddedScan(
  opts: EmbeddedScanOptions,
): Promise<ScanOutcome & { decisions: Decision[] }> {
  const calibration = readCalibration(opts.calibrationFile);
  const policy = readPolicy(opts.policyFile);
  const decisions: Decision[] = [];
  // Decisions are made now, when the scan runs, and expire in wall time, since that is the clock the
  // gateway enforces them on; the evidence inside them keeps its event times.
  const decidedAt = Date.now();
  const outcome = await runScan({
    ...opts,
    ...(calibration ? { calibration } : {}),
    policy: (result, campaign) => {
      const ds = evaluatePolicy(policy, {
        kind: 'account',
        result,
        campaign: campaign ?? null,
        nowTs: decidedAt,
      });
      decisions.push(...ds);
      return ds.length ? strongestAction(ds) : result.flagged ? 'review' : 'allow';
    },
  });
  for (const c of outcome.campaigns)
    decisions.push(
      ...evaluatePolicy(policy, {
        kind: 'campaign',
        campaign: c,
        nowTs: decidedAt,
      }),
    );
  writeStixBundle(opts, outcome);
  await persist(opts.dbPath ?? join(opts.outDir, 'stillwatch.db'), outcome, decisions);
  writeFileSync(
    join(opts.outDir, 'decisions.ndjson'),
    decisions.map((d) => JSON.stringify(d)).join('\n') + (decisions.length ? '\n' : ''),
  );
  return { ...outcome, decisions };
}

async function persist(dbPath: string, outcome: ScanOutcome, decisions: Decision[]): Promise<void> {
  const store = createSqliteStore(dbPath);
  try {
    const batch: AccountResult[] = [];
    for (const a of outcome.accounts) {
      batch.push(a);
      if (batch.length >= 5000) await store.putAccounts(batch.splice(0));
    }
    await store.putAccounts(batch);
    await store.putCampaigns(outcome.campaigns);
    for (const d of decisions) await store.putDecision(d);
    await store.putScan({
      id: outcome.summary.started_at,
      ts: Date.parse(outcome.summary.started_at),
      summary: { ...outcome.summary },
    });
  } finally {
    await store.close();
  }
}

function readCalibration(file: string | undefined): Calibration | undefined {
  const path = file ?? packagePath('calibration/default.json');
  if (!existsSync(path)) {
    if (file) throw new UsageError(`calibration file not found: ${file}`);
    return undefined;
  }
  try {
    return loadCalibration(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  } catch (e) {
    throw new UsageError(`invalid calibration file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function readPolicy(file: string | undefined): Policy {
  const path = file ?? packagePath('policies/default.yaml');
  if (!existsSync(path)) throw new UsageError(`policy file not found: ${path}`);
  return loadPolicy(readFileSync(path, 'utf8'), path);
}

/** What may be shared with peers: campaigns and their members' sketches, HMAC'd; no raw identifiers. */
function writeStixBundle(opts: EmbeddedScanOptions, outcome: ScanOutcome): void {
  const { ring } = loadCommunityKeyRing(
    opts.communityKeyFile !== undefined ? { file: opts.communityKeyFile } : {},
  );
  const members = new Set(outcome.campaigns.flatMap((c) => c.accounts));
  const bundle = buildStixBundle(
    { campaigns: outcome.campaigns, sketches: outcome.sketches.filter((s) => members.has(s.account)) },
    { key: ring.current, producer: { name: opts.producer ?? 'stillwatch' } },
  );
  writeFileSync(join(opts.outDir, 'stix-bundle.json'), `${JSON.stringify(bundle, null, 1)}\n`);
}
