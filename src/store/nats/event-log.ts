import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type PubAck,
} from '@nats-io/jetstream';

/**
 * The scale-out event log on NATS JetStream. Two streams per namespace `ns` (default "sw"):
 * - `<NS>_EVENTS`, subjects `<ns>.events.<partition>`: ingest → workers, in event order per partition;
 * - `<NS>_UP`, subjects `<ns>.up.<partition>` (sketches and results, workers → correlator) and
 *   `<ns>.flags.<partition>` (correlator → workers).
 * Every message carries a deterministic `Nats-Msg-Id`, so a publisher that restarts and
 * re-sends is deduplicated by the broker inside its duplicate window; consumers also skip by
 * content (tick time), so duplicates beyond the window are harmless too.
 */
export interface EventLog {
  readonly ns: string;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** `<ns>.<kind>.<partition>`; `ingest` names the ingest role's own subject (`<ns>.up.ingest`). */
  subject(kind: 'events' | 'up' | 'flags', partition: number | '>' | 'ingest'): string;
  stream(kind: 'events' | 'up' | 'flags'): string;
  /** Publishes with pipelined acks: at most `window` publishes in flight. */
  publisher(window?: number): Publisher;
  /** Reads one subject from the first message on, in order (an ordered pull consumer: no acks, no server-side state). */
  replay(kind: 'events' | 'up' | 'flags', partition: number | '>'): Promise<AsyncIterable<LogMessage>>;
  /** Messages stored and not yet read by a reader at `seq` (consumer lag, for the bench). */
  lastSeq(kind: 'events' | 'up' | 'flags'): Promise<number>;
  close(): Promise<void>;
}

export interface LogMessage {
  subject: string;
  seq: number;
  data: Uint8Array;
}

export interface Publisher {
  publish(subject: string, data: Uint8Array | string, msgId: string): Promise<void>;
  /** Waits for every outstanding ack; throws the first publish failure. */
  flush(): Promise<void>;
}

export interface EventLogOptions {
  servers: string | string[];
  ns?: string;
  /** Broker-side duplicate window in ms (default 2 minutes). */
  duplicateWindowMs?: number;
}

export async function openEventLog(opts: EventLogOptions): Promise<EventLog> {
  const ns = opts.ns ?? 'sw';
  if (!/^[a-z0-9_-]+$/i.test(ns)) throw new Error(`invalid event-log namespace: ${ns}`);
  const nc = await connect({ servers: opts.servers, maxReconnectAttempts: -1, name: `stillwatch-${ns}` });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const streamName = (kind: 'events' | 'up' | 'flags'): string =>
    `${ns.toUpperCase()}_${kind === 'events' ? 'EVENTS' : 'UP'}`;
  const dup = (opts.duplicateWindowMs ?? 120_000) * 1_000_000;
  for (const [name, subjects] of [
    [streamName('events'), [`${ns}.events.>`]],
    [streamName('up'), [`${ns}.up.>`, `${ns}.flags.>`]],
  ] as const) {
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({ name, subjects: [...subjects], duplicate_window: dup, max_msg_size: 8 << 20 });
    }
  }
  const subject = (kind: 'events' | 'up' | 'flags', p: number | '>' | 'ingest'): string =>
    `${ns}.${kind}.${p}`;
  return {
    ns,
    nc,
    js,
    jsm,
    subject,
    stream: streamName,
    publisher: (window = 256) => pipelinedPublisher(js, window),
    async replay(kind, p) {
      const c = await js.consumers.get(streamName(kind), {
        filter_subjects: subject(kind, p),
        deliver_policy: DeliverPolicy.All,
      });
      const msgs = await c.consume({ max_messages: 512 });
      return (async function* () {
        for await (const m of msgs) yield { subject: m.subject, seq: m.seq, data: m.data };
      })();
    },
    async lastSeq(kind) {
      return (await jsm.streams.info(streamName(kind))).state.last_seq;
    },
    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}

function pipelinedPublisher(js: JetStreamClient, window: number): Publisher {
  const inFlight = new Set<Promise<PubAck>>();
  let failure: Error | null = null;
  return {
    async publish(subject, data, msgId) {
      if (failure !== null) throw failure;
      const p = js.publish(subject, data, { msgID: msgId, timeout: 30_000 });
      inFlight.add(p);
      p.then(
        () => inFlight.delete(p),
        (e: unknown) => {
          inFlight.delete(p);
          failure ??= e instanceof Error ? e : new Error(String(e));
        },
      );
      if (inFlight.size >= window) await Promise.race(inFlight).catch(() => undefined);
    },
    async flush() {
      await Promise.allSettled([...inFlight]);
      if (failure !== null) throw failure;
    },
  };
}

/** Deletes a namespace's streams (tests). */
export async function deleteEventLog(log: EventLog): Promise<void> {
  for (const kind of ['events', 'up'] as const)
    await log.jsm.streams.delete(log.stream(kind)).catch(() => false);
}
