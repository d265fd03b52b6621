import type { DataSource, EntityManager } from "typeorm";

/**
 * The per-(project, direction, status) SMS counts of `sms_status_count` (see its migration): kept
 * in step with the ledger in the same transaction as every write that adds a message or changes
 * its status text (ingest, the status webhook); project deletion cascades.
 */
export interface StatusCountChange {
  projectId: string;
  direction: string;
  status: string;
  n: number;
}

export async function applyStatusCounts(manager: EntityManager, changes: StatusCountChange[]): Promise<void> {
  const totals = new Map<string, StatusCountChange>();
  for (const change of changes) {
    const key = `${change.projectId}\u0000${change.direction}\u0000${change.status}`;
    const total = totals.get(key) ?? { ...change, n: 0 };
    total.n += change.n;
    totals.set(key, total);
  }
  const p = (i: number) => manager.connection.driver.createParameter(`p${i}`, i);
  // Always in key order, so concurrent transactions lock the counter rows in the same order
  // (otherwise two batches with different status mixes deadlock on PostgreSQL).
  const ordered = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, total]) => total);
  for (const { projectId, direction, status, n } of ordered) {
    if (n === 0) continue;
    // An upsert both engines speak: concurrent batches add up instead of overwriting each other.
    await manager.query(
      `INSERT INTO sms_status_count ("projectId", direction, status, n) VALUES (${p(0)}, ${p(1)}, ${p(2)}, ${p(3)})
       ON CONFLICT ("projectId", direction, status) DO UPDATE SET n = sms_status_count.n + excluded.n`,
      [projectId, direction, status, n],
    );
  }
}

/** How many SMS of a project and direction have one of these status texts (any, without a list). */
export async function sumStatusCounts(dataSource: DataSource, projectId: string, direction: string, statuses?: readonly string[]): Promise<number> {
  const p = (i: number) => dataSource.driver.createParameter(`p${i}`, i);
  const statusFilter = statuses ? ` AND status IN (${statuses.map((_, i) => p(i + 2)).join(", ")})` : "";
  const [row] = (await dataSource.query(
    `SELECT COALESCE(SUM(n), 0) AS total FROM sms_status_count WHERE "projectId" = ${p(0)} AND direction = ${p(1)}${statusFilter}`,
    [projectId, direction, ...(statuses ?? [])],
  )) as Array<{ total: number | string }>;
  return Number(row?.total ?? 0);
}
