import { randomUUID } from "node:crypto";
import { invalid, type Condition, type IncomingCallLogItemCreate, type IncomingCallLogItemUpdate, type Pagination, type QueryValue, type SortKey } from "@commlog/domain";
import type { DataSource, EntitySchema, ObjectLiteral } from "typeorm";
import { engineOf } from "../db/data-source.js";
import { hydrate, mappingOf as entityMapping, run, runCount, selectList, type Mapping } from "../db/sql.js";
import { sumRollup } from "../db/sms-rollups.js";
import { IncomingCallLogEntity, IncomingCallLogItemEntity, SmsEntity, type IncomingCallLogItem } from "../db/entities.js";

// Every Status200 query: the tenant condition first, the resource's scope, then the caller's
// conditions from the domain's query language, all with bound parameters only; SQL written here
// (db/sql.ts says why).

/** A Status200 resource's table and the rows of it the dialect may ever see (besides the tenant). */
export interface Table {
  entity: EntitySchema<any>;
  scope?: { sql: string; params: ObjectLiteral };
}

/** The ledger also holds incoming SMS; the SMS Log lists what was sent (SPEC §9). */
export const smsLogTable: Table = { entity: SmsEntity, scope: { sql: `"r"."direction" = :scopeDirection`, params: { scopeDirection: "outgoing" } } };
export const incomingCallLogTable: Table = { entity: IncomingCallLogEntity };
export const incomingCallLogItemTable: Table = { entity: IncomingCallLogItemEntity };

export interface ReadQuery {
  conditions: Condition[];
  /** Entity properties to load; `_id` among them. */
  columns: string[];
}

export async function findPage(
  dataSource: DataSource,
  table: Table,
  projectId: string,
  query: ReadQuery & { sort: SortKey[]; page: Pagination },
): Promise<{ rows: ObjectLiteral[]; count: number }> {
  const mapped = mappingOf(dataSource, table);
  const { where, params } = filtered(dataSource, mapped, table, projectId, query.conditions);
  // Nulls sort as PostgreSQL sorts them by default (they count as the largest value), on both engines.
  const order = query.sort.map((key) => `${mapped.column(key.column).sql} ${key.direction} ${key.direction === "ASC" ? "NULLS LAST" : "NULLS FIRST"}`);
  const { skip, limit } = query.page;
  if (!Number.isSafeInteger(skip) || !Number.isSafeInteger(limit)) throw new Error("a page that is not whole numbers");
  const sql = `${selectList(mapped, query.columns)} ${where}${order.length ? ` ORDER BY ${order.join(", ")}` : ""} LIMIT ${limit} OFFSET ${skip}`;
  const rows = await run(dataSource, { sql, params });
  return { rows: rows.map((row) => hydrate(mapped, query.columns, row)), count: await countRows(dataSource, table, projectId, query.conditions) };
}

/**
 * The number of the tenant's rows matching the conditions. For the SMS Log's common queries (no
 * filter, or `status` equal to / any of some texts) it comes from the maintained rollups
 * instead of counting up to millions of rows; otherwise COUNT(*).
 */
export async function countRows(dataSource: DataSource, table: Table, projectId: string, conditions: Condition[]): Promise<number> {
  const [only] = conditions;
  if (table === smsLogTable && conditions.length <= 1 && (!only || (only.field === "status" && (only.op === "eq" || only.op === "in")))) {
    const statuses = only ? (only.op === "eq" ? [only.value] : only.values!).map(String) : undefined;
    return sumRollup(dataSource, { projects: { projectId }, direction: "outgoing", ...(statuses ? { statuses } : {}) });
  }
  const mapped = mappingOf(dataSource, table);
  const { where, params } = filtered(dataSource, mapped, table, projectId, conditions);
  return runCount(dataSource, { sql: `SELECT COUNT(*) AS "n" FROM ${mapped.from} ${where}`, params });
}

/** One row of the tenant's by id, or undefined (a foreign id is the same as a missing one). */
export async function findById(dataSource: DataSource, table: Table, projectId: string, id: string, columns: string[]): Promise<ObjectLiteral | undefined> {
  const mapped = mappingOf(dataSource, table);
  const { where, params } = filtered(dataSource, mapped, table, projectId, []);
  const [row] = await run(dataSource, { sql: `${selectList(mapped, columns)} ${where} AND ${mapped.column("_id").sql} = :id`, params: { ...params, id } });
  return row ? hydrate(mapped, columns, row) : undefined;
}

/**
 * Inserts an item into the tenant's project, under a call of the same project (checked in the
 * same transaction). `_id` and the timestamps are always the server's: nothing in `values` can
 * name an existing row.
 */
export async function insertItem(dataSource: DataSource, projectId: string, values: Omit<IncomingCallLogItemCreate, "projectId">): Promise<IncomingCallLogItem> {
  const now = new Date();
  const row: IncomingCallLogItem = { ...values, _id: randomUUID(), projectId, createdAt: now, updatedAt: now };
  await dataSource.transaction(async (manager) => {
    const parent = await manager.getRepository(IncomingCallLogEntity).existsBy({ _id: row.incomingCallLogId, projectId });
    // A call of another project is indistinguishable from a missing one.
    if (!parent) throw invalid("data.incomingCallLogId", "no such incoming call log in this project");
    await manager.getRepository(IncomingCallLogItemEntity).insert(row);
  });
  return row;
}

/** False when the tenant has no such item. */
export async function updateItem(dataSource: DataSource, projectId: string, id: string, changes: IncomingCallLogItemUpdate): Promise<boolean> {
  const result = await dataSource.getRepository(IncomingCallLogItemEntity).update({ _id: id, projectId }, { ...changes, updatedAt: new Date() });
  return Boolean(result.affected);
}

/** False when the tenant has no such item. */
export async function deleteItem(dataSource: DataSource, projectId: string, id: string): Promise<boolean> {
  const result = await dataSource.getRepository(IncomingCallLogItemEntity).delete({ _id: id, projectId });
  return Boolean(result.affected);
}

// ---- query building ---------------------------------------------------------------------------

/** `WHERE` the tenant, the table's scope and each condition, with their parameters. */
function filtered(dataSource: DataSource, mapped: Mapping, table: Table, projectId: string, conditions: Condition[]): { where: string; params: ObjectLiteral } {
  const clauses = [`${mapped.column("projectId").sql} = :tenant`];
  const params: ObjectLiteral = { tenant: projectId };
  if (table.scope) {
    clauses.push(table.scope.sql);
    Object.assign(params, table.scope.params);
  }
  const bind = binder(dataSource);
  conditions.forEach((condition, i) => {
    const [sql, values] = conditionSql(condition, mapped.column(condition.column).sql, `q${i}`, bind);
    clauses.push(`(${sql})`);
    Object.assign(params, values);
  });
  return { where: `WHERE ${clauses.join(" AND ")}`, params };
}

type Bind = (value: QueryValue | undefined) => unknown;

/**
 * Parameter values as the engine compares them. SQLite stores timestamps as UTC text
 * 'YYYY-MM-DD HH:MM:SS.SSS' (fixed width, so text order is time order); TypeORM converts a lone Date
 * parameter but not the Dates inside a list (`IN (:...p)`), so every Date is converted here.
 * A missing value is a bug upstream and must never widen a query: it throws.
 */
function binder(dataSource: DataSource): Bind {
  const sqlite = engineOf(dataSource) === "sqlite";
  return (value) => {
    if (value === undefined) throw new Error("a query condition without its value");
    return sqlite && value instanceof Date ? value.toISOString().replace("T", " ").replace("Z", "") : value;
  };
}

const mappingOf = (dataSource: DataSource, table: Table): Mapping => entityMapping(dataSource, table.entity);

/** One domain condition as SQL on the column `col` with its parameters named after `p`. */
function conditionSql(c: Condition, col: string, p: string, bind: Bind): [string, ObjectLiteral] {
  const one = (sql: string): [string, ObjectLiteral] => [sql, { [p]: bind(c.value) }];
  const list = (sql: string): [string, ObjectLiteral] => {
    if (!c.values?.length) throw new Error("a list condition without values");
    return [sql, { [p]: c.values.map(bind) }];
  };
  const like = (sql: string): [string, ObjectLiteral] => {
    if (c.pattern === undefined) throw new Error("a text condition without its pattern");
    return [sql, { [p]: c.pattern }];
  };
  switch (c.op) {
    case "eq":
      return one(`${col} = :${p}`);
    case "ne":
      return one(`${col} <> :${p}`);
    case "gt":
      return one(`${col} > :${p}`);
    case "gte":
      return one(`${col} >= :${p}`);
    case "lt":
      return one(`${col} < :${p}`);
    case "lte":
      return one(`${col} <= :${p}`);
    case "eqOrNull":
      return one(`(${col} = :${p} OR ${col} IS NULL)`);
    case "gtOrNull":
      return one(`(${col} > :${p} OR ${col} IS NULL)`);
    case "ltOrNull":
      return one(`(${col} < :${p} OR ${col} IS NULL)`);
    case "between":
      return [`${col} BETWEEN :${p}Start AND :${p}End`, { [`${p}Start`]: bind(c.start), [`${p}End`]: bind(c.end) }];
    case "in":
      return list(`${col} IN (:...${p})`);
    case "notIn":
      return list(`${col} NOT IN (:...${p})`);
    case "isNull":
      return [`${col} IS NULL`, {}];
    case "notNull":
      return [`${col} IS NOT NULL`, {}];
    case "contains":
    case "startsWith":
    case "endsWith":
      return like(`LOWER(${col}) LIKE :${p} ESCAPE '\\'`);
    case "notContains":
      return like(`LOWER(${col}) NOT LIKE :${p} ESCAPE '\\'`);
  }
}
