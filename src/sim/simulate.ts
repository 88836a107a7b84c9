import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../domain/index.js';
import { Ids, type Actor, type Env, type Label } from './actor.js';
import { loadCorpora, resolveCorporaDir, type Corpora } from './corpora.js';
import { TimeHeap } from './heap.js';
import { MODELS, releaseTime } from './models.js';
import { spawnAttacks } from './personas/attack/spawn.js';
import { spawnCasual } from './personas/chat.js';
import { spawnCoding } from './personas/coding.js';
import { spawnEducation } from './personas/education.js';
import { spawnOrgs } from './personas/org.js';
import { spawnResellers } from './personas/reseller.js';
import { Rng } from './rng.js';
import { DAY } from './timing.js';
import { ChunkWriter } from './writer.js';

export const SimOptions = z.object({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  scale: z.number().positive().max(1000),
  days: z.number().positive().max(366),
  evasion: z.number().min(0).max(1).default(0),
  out: z.string().min(1),
  corpora: z.string().min(1).optional(),
  start: z.string().datetime({ offset: true }).default('2026-03-02T00:00:00.000Z'),
});
export type SimOptions = z.input<typeof SimOptions>;

export interface PersonaStats {
  accounts: number;
  endUsers: number;
  events: number;
}

export interface SimSummary {
  seed: number;
  scale: number;
  days: number;
  evasion: number;
  start: string;
  end: string;
  release: { model: string; released: string };
  records: number;
  events: number;
  attackEvents: number;
  accounts: number;
  attackAccounts: number;
  campaigns: number;
  bytes: number;
  /** Seconds spent loading corpora (0 when they were passed in) and generating. */
  loadSeconds: number;
  seconds: number;
  eventsPerSecond: number;
  personas: Record<string, PersonaStats>;
}

interface Source {
  nextTs: number;
  readonly order: number;
  step(nextId: () => string): string;
}

/** Emits the new model's release record at its release time. */
class ReleaseSource implements Source {
  readonly order = -1;
  constructor(
    public nextTs: number,
    private readonly model: string,
  ) {}
  step(): string {
    const rec = { type: 'model_release', model: this.model, released: new Date(this.nextTs).toISOString() };
    this.nextTs = Infinity;
    return JSON.stringify(rec);
  }
}

function population(env: Env): Actor[] {
  const rng = Rng.derive(env.seed, 'population');
  let order = 0;
  const next = (): number => order++;
  const resellers = spawnResellers(env, rng, next);
  return [
    ...spawnCasual(env, rng, next),
    ...spawnCoding(env, rng, next),
    ...spawnOrgs(env, rng, next),
    ...spawnEducation(env, rng, next),
    ...resellers.actors,
    ...spawnAttacks(env, rng, next, resellers.handles),
  ];
}

/** Writes labels.ndjson: one line per account, plus one per end user that sent anything. */
function writeLabels(path: string, actors: readonly Actor[], summary: SimSummary): void {
  const w = new ChunkWriter(path);
  const seen = new Set<string>();
  const campaigns = new Set<string>();
  for (const a of actors) {
    const l: Label = a.label;
    const stats = (summary.personas[l.persona] ??= { accounts: 0, endUsers: 0, events: 0 });
    stats.events += a.events;
    if (l.end_user !== undefined) {
      if (a.events === 0 || seen.has(`${l.account}\u0000${l.end_user}`)) continue;
      seen.add(`${l.account}\u0000${l.end_user}`);
      stats.endUsers++;
    } else {
      if (seen.has(l.account)) continue;
      seen.add(l.account);
      stats.accounts++;
      summary.accounts++;
      if (l.label === 'attack') summary.attackAccounts++;
    }
    if (l.campaign !== null) campaigns.add(l.campaign);
    w.line(JSON.stringify(l));
  }
  for (const a of actors) if (a.label.label === 'attack') summary.attackEvents += a.events;
  summary.campaigns = campaigns.size;
  summary.bytes += w.close();
}

/**
 * Generates labelled traffic into `out/events.ndjson` and `out/labels.ndjson`. Sources are merged through a
 * binary heap keyed by their next timestamp, so memory grows with the number of accounts, not of events.
 * @example runSim({ seed: 1, scale: 1, days: 7, out: 'sim-out' })
 */
export interface SimHooks {
  /** Pre-loaded corpora (tests and repeated runs load them once). */
  corpora?: Corpora;
  /** Called every `progressEvery` records with the count so far (progress bars, memory probes). */
  onProgress?: (records: number) => void;
  progressEvery?: number;
}

export function runSim(options: SimOptions, hooks: SimHooks = {}): SimSummary {
  const parsed = SimOptions.safeParse(options);
  if (!parsed.success)
    throw new UsageError(
      `invalid simulator options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const o = parsed.data;
  const t0 = performance.now();
  const corpora = hooks.corpora ?? loadCorpora(resolveCorporaDir(o.corpora));
  const t1 = performance.now();
  const start = Date.parse(o.start);
  const end = start + Math.round(o.days * DAY);
  const env: Env = {
    seed: o.seed,
    start,
    end,
    days: o.days,
    scale: o.scale,
    evasion: o.evasion,
    release: releaseTime(start, o.days),
    corpora,
    ids: new Ids(o.seed),
  };
  mkdirSync(o.out, { recursive: true });
  const actors = population(env);
  const heap = new TimeHeap<Source>();
  heap.push(new ReleaseSource(env.release, MODELS.fresh.id));
  for (const a of actors) if (a.init().nextTs !== Infinity) heap.push(a);
  const w = new ChunkWriter(join(o.out, 'events.ndjson'));
  let counter = 0;
  let records = 0;
  const nextId = (): string => `ev-${o.seed}-${counter++}`;
  const every = hooks.progressEvery ?? 100_000;
  for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
    w.line(top.step(nextId));
    heap.updateTop();
    if (++records % every === 0) hooks.onProgress?.(records);
  }
  const summary: SimSummary = {
    seed: o.seed,
    scale: o.scale,
    days: o.days,
    evasion: o.evasion,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    release: { model: MODELS.fresh.id, released: new Date(env.release).toISOString() },
    records,
    events: counter,
    attackEvents: 0,
    accounts: 0,
    attackAccounts: 0,
    campaigns: 0,
    bytes: w.close(),
    loadSeconds: (t1 - t0) / 1000,
    seconds: 0,
    eventsPerSecond: 0,
    personas: {},
  };
  writeLabels(join(o.out, 'labels.ndjson'), actors, summary);
  summary.seconds = (performance.now() - t1) / 1000;
  summary.eventsPerSecond = Math.round(counter / summary.seconds);
  writeFileSync(join(o.out, 'sim-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
