import type { DataSource, EntityManager } from "typeorm";
import type { Sms } from "./entities.js";
import { runCount, sumOf, type Statement } from "./sql.js";

/**
 * The rollups of `sms_daily_count` (see its migration): per project, UTC day of `createdAt` and
 * every non-text dimension, how many SMS the ledger holds. Kept in step with the ledger in the same
 * transaction as every write that adds a message or changes its status (ingest, the status
 * webhook); project deletion cascades. Totals read whole days from here (O(days), not O(rows)).
 */
const DIMENSIONS = ["direction", "type", "deliveryStatus", "billingStatus", "exolveStatus", "status"] as const;
type Dimension = (typeof DIMENSIONS)[number];
const KEY = ["projectId", "day", ...DIMENSIONS] as const;

type RollupKey = Record<(typeof KEY)[number], string>;
interface RollupChange extends RollupKey {
  n: number;
}

/** The UTC day of an instant, as the rollups key it ('YYYY-MM-DD'). */
export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** The rollup key of a ledger row, counted `n` times (1 for a new row, -1 for the state it leaves). */
export function rollupChange(row: Pick<Sms, "projectId" | "createdAt" | Dimension>, n: number): RollupChange {
  return { projectId: row.projectId, day: dayOf(row.createdAt), direction: row.direction, type: row.type, deliveryStatus: row.deliveryStatus, billingStatus: row.billingStatus, exolveStatus: row.exolveStatus, status: row.status, n };
}

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(", ");

/**
 * Adds the changes in one upsert. Its rows are summed per key and sorted, so concurrent
 * transactions lock the rollup rows in the same order (otherwise two batches with different mixes
 * would deadlock on PostgreSQL), and concurrent additions add up instead of overwriting each other.
 */
export async function applyRollupChanges(manager: EntityManager, changes: RollupChange[]): Promise<void> {
  const totals = new Map<string, RollupChange>();
  for (const change of changes) {
    const key = KEY.map((name) => change[name]).join("\u0000");
    const total = totals.get(key) ?? { ...change, n: 0 };
    total.n += change.n;
    totals.set(key, total);
  }
  const ordered = [...totals.entries()].filter(([, total]) => total.n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (ordered.length === 0) return;
  const { driver } = manager.connection;
  const parameters: unknown[] = [];
  const tuples = ordered.map(([, total]) => {
    const placeholders = [...KEY, "n" as const].map((name) => {
      parameters.push(total[name]);
      return driver.createParameter(`p${parameters.length}`, parameters.length - 1);
    });
    return `(${placeholders.join(", ")})`;
  });
  await manager.query(
    `INSERT INTO sms_daily_count (${quoted(KEY)}, n) VALUES ${tuples.join(", ")}
     ON CONFLICT (${quoted(KEY)}) DO UPDATE SET n = sms_daily_count.n + excluded.n`,
    parameters,
  );
}

/** Which rollup rows a total adds up; every listed dimension is an equality (statuses: any of). */
interface RollupFilter {
  projects: { projectId: string } | { resellerId: string } | "all";
  direction?: string;
  deliveryStatus?: string;
  billingStatus?: string;
  exolveStatus?: string;
  statuses?: readonly string[];
  /** Whole UTC days, inclusive ('YYYY-MM-DD'). */
  firstDay?: string;
  lastDay?: string;
}

/** The statement summing the rollup rows a filter names. */
export function rollupSumStatement(filter: RollupFilter): Statement {
  const params: Record<string, unknown> = {};
  const p = (value: unknown) => {
    const name = `r${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  const where: string[] = [];
  if (filter.projects !== "all") {
    where.push("projectId" in filter.projects ? `"projectId" = ${p(filter.projects.projectId)}` : `"projectId" IN (SELECT "_id" FROM project WHERE "resellerId" = ${p(filter.projects.resellerId)})`);
  }
  for (const name of ["direction", "deliveryStatus", "billingStatus", "exolveStatus"] as const) {
    if (filter[name] !== undefined) where.push(`"${name}" = ${p(filter[name])}`);
  }
  if (filter.statuses) where.push(filter.statuses.length ? `status IN (${filter.statuses.map(p).join(", ")})` : "1 = 0");
  if (filter.firstDay) where.push(`day >= ${p(filter.firstDay)}`);
  if (filter.lastDay) where.push(`day <= ${p(filter.lastDay)}`);
  return { sql: `SELECT COALESCE(SUM(n), 0) AS "n" FROM sms_daily_count${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`, params };
}

export const sumRollup = (dataSource: DataSource, filter: RollupFilter): Promise<number> => runCount(dataSource, rollupSumStatement(filter));

/**
 * A total over [from, to] (either open) split into the whole UTC days the rollups answer and the
 * partial days at the edges, which `countExactly` counts from the ledger's indexes; one statement
 * adds the parts up. Exact either way.
 */
export function totalOverRange(
  dataSource: DataSource,
  filter: Omit<RollupFilter, "firstDay" | "lastDay">,
  range: { from?: Date; to?: Date },
  countExactly: (range: { from?: Date; to?: Date }) => Statement,
): Promise<number> {
  const DAY = 86_400_000;
  const { from, to } = range;
  const firstWhole = from ? new Date(Math.ceil(from.getTime() / DAY) * DAY) : undefined;
  const afterLastWhole = to ? new Date(Math.floor((to.getTime() + 1) / DAY) * DAY) : undefined;
  if (firstWhole && afterLastWhole && firstWhole >= afterLastWhole) return runCount(dataSource, countExactly(range));
  const parts = [
    rollupSumStatement({
      ...filter,
      ...(firstWhole ? { firstDay: dayOf(firstWhole) } : {}),
      ...(afterLastWhole ? { lastDay: dayOf(new Date(afterLastWhole.getTime() - DAY)) } : {}),
    }),
  ];
  if (from && firstWhole!.getTime() !== from.getTime()) parts.push(countExactly({ from, to: new Date(firstWhole!.getTime() - 1) }));
  if (to && afterLastWhole!.getTime() !== to.getTime() + 1) parts.push(countExactly({ from: afterLastWhole!, to }));
  return runCount(dataSource, sumOf(parts));
}
