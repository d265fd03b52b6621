import type { ExolveCountFilter } from "@commlog/domain";
import type { DataSource } from "typeorm";
import { encodeMessageId, SmsEntity } from "../db/entities.js";

/**
 * Counts one project's SMS (both directions) matching a parsed GetCount filter. Each condition is
 * a column of a (projectId, …) index: messageId, exolveStatus, deliveryStatus, billingStatus,
 * createdAt, and the three columns `number` may match (see docs/query-plans.md).
 */
export async function countProjectSms(dataSource: DataSource, projectId: string, filter: ExolveCountFilter): Promise<number> {
  const row = await countQuery(dataSource, projectId, filter).getRawOne<{ count: number | string }>();
  // PostgreSQL returns COUNT(*) as a bigint string.
  return Number(row?.count ?? 0);
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
