import type { EntityManager } from "typeorm";

/** Where statements run: a DataSource, or a transaction's EntityManager. */
type Queryable = Pick<EntityManager, "query">;

// PostgreSQL's monthly partitions of `sms` (see the migration that partitions it): one per UTC month
// of `createdAt`, named sms_pYYYYMM, plus sms_default for months without one.

/** The first instant of the UTC month of `instant`. */
export function monthStart(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
}

const addMonths = (start: Date, n: number) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1));

/** A month start as a PostgreSQL timestamptz literal (toISOString writes year 10000 as "+010000"). */
function monthLiteral(start: Date): string {
  return `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}-01 00:00:00+00`;
}

/** The partition of the month that starts at `start`, for rows from `start` to the next month start. */
export function partitionDefinition(start: Date): string {
  return `"${partitionName(start)}" PARTITION OF sms FOR VALUES FROM ('${monthLiteral(start)}') TO ('${monthLiteral(addMonths(start, 1))}')`;
}

export function partitionName(start: Date): string {
  return `sms_p${String(start.getUTCFullYear()).padStart(4, "0")}${String(start.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The months the server keeps partitions ready for: the last one, this one and the next three. */
export function monthsAround(now: Date): Date[] {
  return [-1, 0, 1, 2, 3].map((n) => addMonths(monthStart(now), n));
}

/**
 * Creates the missing partitions of `monthsAround(now)`. A month whose rows
 * already sit in the default partition (imported with future dates) keeps them there: attaching a
 * partition over them would fail. Returns the partitions created.
 */
export async function ensureSmsPartitions(dataSource: Queryable, now = new Date()): Promise<string[]> {
  const created: string[] = [];
  for (const start of monthsAround(now)) {
    const end = addMonths(start, 1);
    const name = partitionName(start);
    const [exists] = (await dataSource.query(`SELECT 1 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE c.relname = $1 AND s.nspname = current_schema()`, [name])) as unknown[];
    if (exists) continue;
    const [occupied] = (await dataSource.query(`SELECT 1 FROM sms_default WHERE "createdAt" >= $1 AND "createdAt" < $2 LIMIT 1`, [start, end])) as unknown[];
    if (occupied) continue;
    // Concurrent servers may race here: IF NOT EXISTS makes the loser a no-op.
    await dataSource.query(`CREATE TABLE IF NOT EXISTS ${partitionDefinition(start)}`);
    created.push(name);
  }
  return created;
}

/** Drops the monthly partitions that end on or before `cutoff` (a month start). Returns their names. */
export async function dropSmsPartitionsBefore(dataSource: Queryable, cutoff: Date): Promise<string[]> {
  const partitions = (await dataSource.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     JOIN pg_namespace s ON s.oid = p.relnamespace WHERE p.relname = 'sms' AND s.nspname = current_schema()`,
  )) as Array<{ name: string }>;
  const dropped: string[] = [];
  for (const { name } of partitions) {
    const match = /^sms_p(\d{4})(\d{2})$/.exec(name);
    if (!match) continue;
    const end = addMonths(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)), 1);
    if (end > cutoff) continue;
    await dataSource.query(`DROP TABLE "${name}"`);
    dropped.push(name);
  }
  return dropped;
}
