import type { ExolveCountFilter } from "@commlog/domain";
import type { DataSource } from "typeorm";
import { encodeMessageId, SmsEntity } from "../db/entities.js";
import { totalOverRange } from "../db/sms-rollups.js";

/**
 * Counts one project's SMS (both directions) matching a parsed GetCount filter. Each condition is
 * a column of a (projectId, …) index: messageId, exolveStatus, deliveryStatus, billingStatus,
 * createdAt, and the three columns `number` may match (see docs/query-plans.md). Without a message
 * id or number, whole days come from the daily rollups and only the partial days at the range's
 * edges are counted.
 */
export async function countProjectSms(dataSource: DataSource, projectId: string, filter: ExolveCountFilter): Promise<number> {
  const countExactly = async (f: ExolveCountFilter) => Number((await countQuery(dataSource, projectId, f).getRawOne<{ count: number | string }>())?.count ?? 0);
  // A message id or a number is no rollup dimension: counted from the indexes.
  if (filter.messageId !== undefined || filter.number) return countExactly(filter);
  const { dateGte, dateLte, ...rest } = filter;
  return totalOverRange(
    dataSource,
    { projects: { projectId }, direction: filter.direction, deliveryStatus: filter.deliveryStatus, billingStatus: filter.billingStatus, exolveStatus: filter.status },
    { ...(dateGte ? { from: dateGte } : {}), ...(dateLte ? { to: dateLte } : {}) },
    ({ from, to }) => countExactly({ ...rest, ...(from ? { dateGte: from } : {}), ...(to ? { dateLte: to } : {}) }),
  );
}

/** The counting statement, exposed so the query-plan test EXPLAINs exactly what runs. */
export function countQuery(dataSource: DataSource, projectId: string, filter: ExolveCountFilter) {
  const qb = dataSource.getRepository(SmsEntity).createQueryBuilder("sms").where("sms.projectId = :projectId", { projectId });
  // Stored zero-padded: compared as text, never through a JS number (ids go past 2^53).
  if (filter.messageId !== undefined) qb.andWhere("sms.messageId = :messageId", { messageId: encodeMessageId(filter.messageId) });
  if (filter.number) {
    // The counterpart may be on either side, and an alpha sender only in senderNameLower.
    const { digits, senderName } = filter.number;
    const alternatives = ["sms.senderNameLower = :senderLower"];
    if (digits) alternatives.push("sms.fromNumberDigits = :digits", "sms.toNumberDigits = :digits");
    qb.andWhere(`(${alternatives.join(" OR ")})`, { senderLower: senderName?.toLowerCase() ?? null, digits: digits ?? null });
  }
  if (filter.direction) qb.andWhere("sms.direction = :direction", { direction: filter.direction });
  if (filter.deliveryStatus) qb.andWhere("sms.deliveryStatus = :deliveryStatus", { deliveryStatus: filter.deliveryStatus });
  if (filter.billingStatus) qb.andWhere("sms.billingStatus = :billingStatus", { billingStatus: filter.billingStatus });
  if (filter.status) qb.andWhere("sms.exolveStatus = :status", { status: filter.status });
  if (filter.dateGte) qb.andWhere("sms.createdAt >= :dateGte", { dateGte: filter.dateGte });
  if (filter.dateLte) qb.andWhere("sms.createdAt <= :dateLte", { dateLte: filter.dateLte });
  // COUNT(*), not getCount()'s COUNT(DISTINCT _id): lets PostgreSQL answer from an index alone.
  return qb.select("COUNT(*)", "count");
}
