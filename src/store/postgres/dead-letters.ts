import type pg from 'pg';
import type { DeadLetter } from '../../ingest/index.js';

/** A dead letter as stored, with who set it aside: `ingest` or `worker:<partition>`. */
export type StoredDeadLetter = DeadLetter & { source: string };

/**
 * The `dead_letters` table (created with the store's schema): lines the scale-out mode could
 * not use, with their location and reason, as the embedded scan's deadletter.ndjson. Keyed by
 * location, so a replay that sets the same line aside again writes nothing new.
 */
export async function putDeadLetters(
  pool: pg.Pool,
  source: string,
  dead: readonly DeadLetter[],
): Promise<void> {
  if (dead.length === 0) return;
  const byKey = new Map<string, DeadLetter>();
  for (const d of dead) byKey.set(`${d.file}\u0000${d.line}\u0000${d.path ?? ''}`, d);
  const rows = [...byKey.values()];
  await pool.query(
    `INSERT INTO dead_letters (file, line, path, source, reason, doc)
     SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT (file, line, path) DO NOTHING`,
    [
      rows.map((d) => d.file),
      rows.map((d) => d.line),
      rows.map((d) => d.path ?? ''),
      rows.map(() => source),
      rows.map((d) => d.reason),
      rows.map((d) => JSON.stringify(d)),
    ],
  );
}

/** Every stored dead letter in file and line order. */
export async function listDeadLetters(pool: pg.Pool): Promise<StoredDeadLetter[]> {
  const { rows } = await pool.query<{ doc: string; source: string }>(
    'SELECT doc, source FROM dead_letters ORDER BY file, line, path',
  );
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as DeadLetter), source: r.source }));
}
