import type { ExolveCountFilter } from "@commlog/domain";
import type { DataSource, ObjectLiteral } from "typeorm";
import { encodeMessageId, SmsEntity, type Sms } from "../db/entities.js";
import { mappingOf, runCount, type Statement } from "../db/sql.js";
import { totalOverRange } from "../db/sms-rollups.js";

/**
 * Counts one project's SMS (both directions) matching a parsed GetCount filter. Each condition is
 * a column of a (projectId, …) index: messageId, exolveStatus, deliveryStatus, billingStatus,
 * createdAt, and the three columns `number` may match (see docs/query-plans.md). Without a message
 * id or number, whole days come from the daily rollups and only the partial days at the range's
 * edges are counted.
 */
export async function countProjectSms(dataSource: DataSource, projectId: string, filter: ExolveCountFilter): Promise<number> {
  // A message id or a number is no rollup dimension: counted from the indexes.
  if (filter.messageId !== undefined || filter.number) return runCount(dataSource, countQuery(dataSource, projectId, filter));
  const { dateGte, dateLte, ...rest } = filter;
  return totalOverRange(
    dataSource,
    { projects: { projectId }, direction: filter.direction, deliveryStatus: filter.deliveryStatus, billingStatus: filter.billingStatus, exolveStatus: filter.status },
    { ...(dateGte ? { from: dateGte } : {}), ...(dateLte ? { to: dateLte } : {}) },
    ({ from, to }) => countQuery(dataSource, projectId, { ...rest, ...(from ? { dateGte: from } : {}), ...(to ? { dateLte: to } : {}) }),
  );
}

/** The counting statement, exposed so the query-plan test EXPLAINs exactly what runs (SQL written here: db/sql.ts says why). */
export function countQuery(dataSource: DataSource, projectId: string, filter: ExolveCountFilter): Statement {
  const mapped = mappingOf(dataSource, SmsEntity);
  const col = (property: keyof Sms) => mapped.column(property).sql;
  const clauses = [`${col("projectId")} = :projectId`];
  const params: ObjectLiteral = { projectId };
  const where = (sql: string, values: ObjectLiteral) => {
    clauses.push(sql);
    Object.assign(params, values);
  };
  // Stored zero-padded: compared as text, never through a JS number (ids go past 2^53).
  if (filter.messageId !== undefined) where(`${col("messageId")} = :messageId`, { messageId: encodeMessageId(filter.messageId) });
  if (filter.number) {
    // The counterpart may be on either side, and an alpha sender only in senderNameLower.
    const { digits, senderName } = filter.number;
    const alternatives = [`${col("senderNameLower")} = :senderLower`];
    if (digits) alternatives.push(`${col("fromNumberDigits")} = :digits`, `${col("toNumberDigits")} = :digits`);
    where(`(${alternatives.join(" OR ")})`, { senderLower: senderName?.toLowerCase() ?? null, digits: digits ?? null });
  }
  if (filter.direction) where(`${col("direction")} = :direction`, { direction: filter.direction });
  if (filter.deliveryStatus) where(`${col("deliveryStatus")} = :deliveryStatus`, { deliveryStatus: filter.deliveryStatus });
  if (filter.billingStatus) where(`${col("billingStatus")} = :billingStatus`, { billingStatus: filter.billingStatus });
  if (filter.status) where(`${col("exolveStatus")} = :status`, { status: filter.status });
  if (filter.dateGte) where(`${col("createdAt")} >= :dateGte`, { dateGte: filter.dateGte });
  if (filter.dateLte) where(`${col("createdAt")} <= :dateLte`, { dateLte: filter.dateLte });
  // COUNT(*) lets PostgreSQL answer from an index alone.
  return { sql: `SELECT COUNT(*) AS "n" FROM ${mapped.from} WHERE ${clauses.join(" AND ")}`, params };
}
