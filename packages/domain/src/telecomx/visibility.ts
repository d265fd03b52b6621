import { invalid } from "../common/errors.js";
import type { AccessLevel } from "../access/permissions.js";
import { utc } from "../common/wire-values.js";

// TelecomX visibility follows the access level only (SPEC §5, §9).

export interface TelecomxVisibleFields {
  message: boolean;
  cost: boolean;
  wholeSale: boolean;
  price: boolean;
}

/**
 * Which optional message properties a caller sees on one row.
 * `ownProject`: the row belongs to the principal's own project (for a
 * reseller, its "own messages").
 */
export function telecomxVisibleFields(level: AccessLevel, ownProject: boolean): TelecomxVisibleFields {
  return {
    message: level === "ADMIN" || ((level === "OWNER" || level === "RESELLER") && ownProject),
    cost: level === "ADMIN",
    wholeSale: level === "RESELLER" || level === "ADMIN",
    price: true,
  };
}

/**
 * The `message` filter is allowed only where every row it could match is
 * visible in full, or it would be an oracle for hidden text: OWNER, ADMIN,
 * and RESELLER when the listing is limited to its own project.
 */
export function mayFilterByMessage(level: AccessLevel, scopeIsOwnProjectOnly: boolean): boolean {
  if (level === "OWNER" || level === "ADMIN") return true;
  return level === "RESELLER" && scopeIsOwnProjectOnly;
}

/** Whole UTC months: `from` is the first instant of fromDate, `toExclusive` that of the month after toDate. */
export function telecomxMonthRange(fromDate?: string, toDate?: string): { from?: Date; toExclusive?: Date } {
  const from = fromDate === undefined ? undefined : monthStart(fromDate, "fromDate", 0);
  const toExclusive = toDate === undefined ? undefined : monthStart(toDate, "toDate", 1);
  if (from && toExclusive && from >= toExclusive) throw invalid("fromDate", `${fromDate} is after toDate ${toDate}`);
  return { ...(from ? { from } : {}), ...(toExclusive ? { toExclusive } : {}) };
}

function monthStart(s: string, field: string, add: number): Date {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s);
  if (!m) throw invalid(field, `expected a month as YYYY-MM, got ${JSON.stringify(s)}`);
  return new Date(utc(Number(m[1]), Number(m[2]) - 1 + add, 1, 0, 0, 0, 0));
}
