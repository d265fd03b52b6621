import type { TelecomX } from "@commlog/contracts";
import type { DataSource, ObjectLiteral } from "typeorm";
import { SmsEntity, type Sms } from "../db/entities.js";
import { dayOf, sumRollup } from "../db/sms-rollups.js";
import { hydrate, mappingOf, run, runCount, selectList, type Statement } from "../db/sql.js";
import type { CustomerScope } from "./customer-scope.js";
import type { SenderFilter } from "./filters.js";

/** The timestamp each `sort` names; the date filters apply to the same one. */
const SORT_COLUMN = { CREATED: "createdAt", SENT: "sentAt", INVOICED: "invoicedAt" } as const satisfies Record<TelecomX.SmsSort, keyof Sms>;

/** The columns a TelecomX message is presented from (presenter.ts): loading only these halves the page's cost. */
const PRESENTED_COLUMNS = ["_id", "projectId", "type", "senderName", "fromNumber", "toNumber", "sentAt", "smsText", "cost", "wholeSale", "price", "fromName", "toName", "groupName"] as const satisfies ReadonlyArray<keyof Sms>;

/** A row as listed: what the presenter reads. */
export type ListedSms = Pick<Sms, (typeof PRESENTED_COLUMNS)[number]>;

export interface TelecomxListQuery {
  scope: CustomerScope;
  sort: TelecomX.SmsSort;
  /** Whole months: `from` inclusive, `toExclusive` exclusive. */
  range: { from?: Date; toExclusive?: Date };
  toDigits?: string;
  sender?: SenderFilter;
  /** A LIKE pattern for the lowercased text (see filters.ts). */
  textPattern?: string;
  offset: number;
  limit: number;
}

/**
 * One page of outgoing SMS/MMS, newest first, and the total. Every filter is a column of the
 * (projectId, …) indexes of the migration (see docs/query-plans.md); the total comes from the
 * daily rollups where they can answer it. SQL written here (db/sql.ts says why).
 */
export async function listOutgoingSms(dataSource: DataSource, query: TelecomxListQuery): Promise<{ total: number; rows: ListedSms[] }> {
  const { count, page } = listQueries(dataSource, query);
  const mapped = mappingOf(dataSource, SmsEntity);
  const [total, raw] = await Promise.all([fromRollups(dataSource, query) ?? runCount(dataSource, count), run(dataSource, page)]);
  return { total, rows: raw.map((row) => hydrate(mapped, PRESENTED_COLUMNS, row) as ListedSms) };
}

const DAY = 86_400_000;

/**
 * The total from the daily rollups, when every filter is one of their dimensions: the customer
 * scope, outgoing, and whole months of `createdAt` (whole days). A number, sender or text filter,
 * or a month range on sentAt / invoicedAt, is counted from the indexes instead (undefined here).
 */
function fromRollups(dataSource: DataSource, query: TelecomxListQuery): Promise<number> | undefined {
  const ranged = query.range.from !== undefined || query.range.toExclusive !== undefined;
  if (query.toDigits !== undefined || query.sender || query.textPattern !== undefined || (ranged && query.sort !== "CREATED")) return undefined;
  const { scope, range } = query;
  return sumRollup(dataSource, {
    projects: scope.kind === "projects" ? { projectId: scope.projectIds[0] } : scope.kind === "reseller" ? { resellerId: scope.resellerId } : "all",
    direction: "outgoing",
    ...(range.from ? { firstDay: dayOf(range.from) } : {}),
    ...(range.toExclusive ? { lastDay: dayOf(new Date(range.toExclusive.getTime() - DAY)) } : {}),
  });
}

/** The two statements of a listing, exposed so the query-plan test EXPLAINs exactly what runs. */
export function listQueries(dataSource: DataSource, query: TelecomxListQuery): { count: Statement; page: Statement } {
  const mapped = mappingOf(dataSource, SmsEntity);
  const { where, params } = filtered(query, (property) => mapped.column(property).sql);
  if (!Number.isSafeInteger(query.offset) || !Number.isSafeInteger(query.limit)) throw new Error("a page that is not whole numbers");
  return {
    // COUNT(*) lets PostgreSQL answer from the index alone.
    count: { sql: `SELECT COUNT(*) AS "n" FROM ${mapped.from} ${where}`, params },
    page: { sql: `${selectList(mapped, PRESENTED_COLUMNS)} ${where} ORDER BY ${ordered(query, (property) => mapped.column(property).sql)} LIMIT ${query.limit} OFFSET ${query.offset}`, params },
  };
}

function filtered(query: TelecomxListQuery, col: (property: keyof Sms) => string): { where: string; params: ObjectLiteral } {
  const time = col(SORT_COLUMN[query.sort]);
  // Only outgoing messages; `type` is always SMS or MMS, so it needs no condition.
  const clauses = [`${col("direction")} = :direction`];
  const params: ObjectLiteral = { direction: "outgoing" };
  const where = (sql: string, values: ObjectLiteral) => {
    clauses.push(sql);
    Object.assign(params, values);
  };
  const { scope } = query;
  if (scope.kind === "projects") where(`${col("projectId")} = :projectId`, { projectId: scope.projectIds[0] });
  if (scope.kind === "reseller") where(`${col("projectId")} IN (SELECT "_id" FROM "project" WHERE "resellerId" = :resellerId)`, { resellerId: scope.resellerId });
  // A range comparison is false for NULL, which excludes rows without that timestamp (SPEC §9).
  if (query.range.from) where(`${time} >= :from`, { from: query.range.from });
  if (query.range.toExclusive) where(`${time} < :toExclusive`, { toExclusive: query.range.toExclusive });
  if (query.toDigits !== undefined) where(`${col("toNumberDigits")} = :toDigits`, { toDigits: query.toDigits });
  if (query.sender && "digits" in query.sender) {
    where(`(${col("fromNumberDigits")} = :senderDigits OR ${col("senderNameLower")} = :senderDigits)`, { senderDigits: query.sender.digits });
  } else if (query.sender) {
    where(`${col("senderNameLower")} = :senderLower`, { senderLower: query.sender.nameLower });
  }
  if (query.textPattern !== undefined) where(`LOWER(${col("smsText")}) LIKE :textPattern ESCAPE '\\'`, { textPattern: query.textPattern });
  return { where: `WHERE ${clauses.join(" AND ")}`, params };
}

/**
 * Newest first on the sort timestamp, then the numeric id (zero-padded text, so text order is
 * numeric order). NULL sorts differently by engine (SQLite: smallest, PostgreSQL: largest), so a
 * nullable timestamp says NULLS LAST explicitly; createdAt is NOT NULL, and a date filter already
 * excludes NULLs, and leaving the clause out there lets both engines read the
 * (projectId, direction, <timestamp>, messageId) index backwards instead of sorting.
 */
function ordered(query: TelecomxListQuery, col: (property: keyof Sms) => string): string {
  const name = SORT_COLUMN[query.sort];
  const mayHoldNulls = name !== "createdAt" && !query.range.from && !query.range.toExclusive;
  return `${col(name)} DESC${mayHoldNulls ? " NULLS LAST" : ""}, ${col("messageId")} DESC`;
}
