import { invalid } from "./errors.js";

// How plain values are read off the wire, shared by every dialect.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 8-4-4-4-12 hex, any version or variant (the seeds' example ids are not RFC 4122). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** A uuid, lowercased; anything else is a 400 naming `field`. */
export function parseUuid(value: unknown, field: string): string {
  if (typeof value !== "string" || !isUuid(value)) {
    throw invalid(field, `expected a uuid (8-4-4-4-12 hex), got ${describe(value)}`);
  }
  return value.toLowerCase();
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Rounding = "floor" | "ceil";

/**
 * An RFC 3339 timestamp with any offset and any number of fractional digits,
 * or undefined when `s` is not one (or falls outside years 0001..9999 UTC). Dates hold milliseconds: extra digits are
 * dropped (`floor`) or round up to the next millisecond (`ceil`, for lower
 * bounds, so `>= .3351` does not match a row at `.335`).
 */
export function parseRfc3339(s: string, rounding: Rounding = "floor"): Date | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac = "", off = "Z"] = m;
  const fields = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  if (!validCalendar(...fields)) return undefined;
  let ms = Number(frac.slice(0, 3).padEnd(3, "0"));
  if (rounding === "ceil" && /[1-9]/.test(frac.slice(3))) ms += 1;
  let t = utc(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
  if (off !== "Z" && off !== "z") {
    const sign = off.startsWith("-") ? -1 : 1;
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return t >= MIN_INSTANT && t <= MAX_INSTANT ? new Date(t) : undefined;
}

/**
 * The instants both engines store and compare alike (SPEC §10): years 0001..9999 in UTC. A local
 * time inside that range whose offset pushes it out (`9999-12-31T23:30:00-01:00`) is no timestamp.
 */
export const MIN_INSTANT = utc(1, 0, 1, 0, 0, 0, 0);
export const MAX_INSTANT = utc(9999, 11, 31, 23, 59, 59, 999);

/** True when `s` is an RFC 3339 timestamp of a real calendar date within years 0001..9999 UTC. */
export function isTimestamp(s: string): boolean {
  return parseRfc3339(s) !== undefined;
}

/**
 * Status200 dates: an RFC 3339 timestamp (the upstream client sends
 * `2026-01-01T00:00:00.000Z`) or a bare `YYYY-MM-DD`, read as UTC midnight.
 * A timestamp without an offset is rejected: its instant would be a guess.
 */
export function parseDate(value: unknown, field: string): Date {
  if (typeof value === "string") {
    const t = parseRfc3339(value);
    if (t) return t;
    const m = DATE_ONLY.exec(value);
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (y >= 1 && validCalendar(y, mo, d, 0, 0, 0)) return new Date(utc(y, mo - 1, d, 0, 0, 0, 0));
    }
  }
  throw invalid(field, `expected an ISO-8601 date-time with offset in the years 0001 to 9999 UTC (e.g. "2026-01-01T00:00:00.000Z"), got ${describe(value)}`);
}

function validCalendar(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(utc(y, mo, 0, 0, 0, 0, 0)).getUTCDate(); // day 0 of next month = last day
}

/** Date.UTC without its 0..99 → 1900..1999 quirk; month and day may overflow as in Date.UTC. */
export function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const t = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  t.setUTCFullYear(y, mo, d);
  return t.getTime();
}

/** OneUptime-style typed wrappers, accepted wherever a plain value is. */
export type WrapperType = "ObjectID" | "DateTime" | "Phone";
const WRAPPERS: readonly string[] = ["ObjectID", "DateTime", "Phone"];

export function isWrapper(v: unknown): v is { _type: WrapperType; value: unknown } {
  return isPlainObject(v) && typeof v["_type"] === "string" && WRAPPERS.includes(v["_type"]);
}

/**
 * Unwraps `{_type, value}` when present. The wrapper must fit the field
 * (`expected`): an ObjectID given to a date field is a wrong value type.
 */
export function unwrap(v: unknown, expected: WrapperType | undefined, field: string): unknown {
  if (!isWrapper(v)) return v;
  if (v._type !== expected) throw invalid(field, `a ${v._type} value does not fit this field`);
  const extra = Object.keys(v).filter((k) => k !== "_type" && k !== "value");
  if (extra.length > 0) throw invalid(field, `unexpected key "${extra[0]}" in ${v._type} value`);
  if (v.value === undefined) throw invalid(field, `${v._type} value is missing "value"`);
  return v.value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A short, safe description of a bad value for an error message. */
export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
