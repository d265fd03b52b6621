import type { TelecomX } from "@commlog/contracts";
import type { DataSource, SelectQueryBuilder } from "typeorm";
import { ProjectEntity, SmsEntity, type Sms } from "../db/entities.js";
import { dayOf, sumRollup } from "../db/sms-rollups.js";
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
 * daily rollups where they can answer it.
 */
export async function listOutgoingSms(dataSource: DataSource, query: TelecomxListQuery): Promise<{ total: number; rows: ListedSms[] }> {
  const { count, page } = listQueries(dataSource, query);
  const counted = fromRollups(dataSource, query) ?? count.getRawOne<{ total: number | string }>().then((row) => Number(row?.total ?? 0));
  const [total, rows] = await Promise.all([counted, page.getMany()]);
  return { total, rows };
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
export function listQueries(dataSource: DataSource, query: TelecomxListQuery) {
  return {
    // COUNT(*), not getCount()'s COUNT(DISTINCT _id): lets PostgreSQL answer from the index alone.
    count: filteredQuery(dataSource, query).select("COUNT(*)", "total"),
    page: ordered(filteredQuery(dataSource, query), query)
      .select(PRESENTED_COLUMNS.map((column) => `sms.${column}`))
      .offset(query.offset)
      .limit(query.limit),
  };
}

function filteredQuery(dataSource: DataSource, query: TelecomxListQuery): SelectQueryBuilder<Sms> {
  const column = `sms.${SORT_COLUMN[query.sort]}`;
  // Only outgoing messages; `type` is always SMS or MMS, so it needs no condition.
  const qb = dataSource.getRepository(SmsEntity).createQueryBuilder("sms").where("sms.direction = :direction", { direction: "outgoing" });

  const { scope } = query;
  if (scope.kind === "projects") qb.andWhere("sms.projectId = :projectId", { projectId: scope.projectIds[0] });
  if (scope.kind === "reseller") {
    qb.andWhere(
      (outer) =>
        `sms.projectId IN ${outer.subQuery().select("project._id").from(ProjectEntity, "project").where("project.resellerId = :resellerId").getQuery()}`,
      { resellerId: scope.resellerId },
    );
  }
  // A range comparison is false for NULL, which excludes rows without that timestamp (SPEC §9).
  if (query.range.from) qb.andWhere(`${column} >= :from`, { from: query.range.from });
  if (query.range.toExclusive) qb.andWhere(`${column} < :toExclusive`, { toExclusive: query.range.toExclusive });
  if (query.toDigits !== undefined) qb.andWhere("sms.toNumberDigits = :toDigits", { toDigits: query.toDigits });
  if (query.sender && "digits" in query.sender) {
    qb.andWhere("(sms.fromNumberDigits = :senderDigits OR sms.senderNameLower = :senderDigits)", { senderDigits: query.sender.digits });
  } else if (query.sender) {
    qb.andWhere("sms.senderNameLower = :senderLower", { senderLower: query.sender.nameLower });
  }
  if (query.textPattern !== undefined) qb.andWhere("LOWER(sms.smsText) LIKE :textPattern ESCAPE '\\'", { textPattern: query.textPattern });
  return qb;
}

/**
 * Newest first on the sort timestamp, then the numeric id (zero-padded text, so text order is
 * numeric order). NULL sorts differently by engine (SQLite: smallest, PostgreSQL: largest), so a
 * nullable timestamp says NULLS LAST explicitly; createdAt is NOT NULL, and a date filter already
 * excludes NULLs, and leaving the clause out there lets both engines read the
 * (projectId, direction, <timestamp>, messageId) index backwards instead of sorting.
 */
function ordered(qb: SelectQueryBuilder<Sms>, query: TelecomxListQuery): SelectQueryBuilder<Sms> {
  const name = SORT_COLUMN[query.sort];
  const mayHoldNulls = name !== "createdAt" && !query.range.from && !query.range.toExclusive;
  return qb.orderBy(`sms.${name}`, "DESC", mayHoldNulls ? "NULLS LAST" : undefined).addOrderBy("sms.messageId", "DESC");
}
