import { exolveGetCountFields, exolveUint32Max } from "@commlog/contracts";
import { DomainError } from "../common/errors.js";
import { isPhone, phoneDigits } from "../common/phone-number.js";
import {
  EXOLVE_BILLING_STATUS,
  EXOLVE_DELIVERY_STATUS,
  EXOLVE_DIRECTION,
  EXOLVE_STATUS,
  parseExolveEnum,
  type BillingStatus,
  type DeliveryStatus,
  type Direction,
  type ExolveEnumTable,
  type ExolveStatus,
} from "../ledger/status-mapping.js";
import { isPlainObject, parseRfc3339 } from "../common/wire-values.js";

/** A validated Exolve GetCount body; absent = unset (proto3 defaults are unset too). */
export interface ExolveCountFilter {
  /** The ledger's 64-bit numeric id as a canonical decimal string; compare as string/BigInt, never Number. */
  messageId?: string;
  limit?: bigint;
  offset?: bigint;
  /** `digits` when the value looks like a phone; `senderName` always (sender names may be all digits). */
  number?: { digits?: string; senderName?: string };
  direction?: Direction;
  deliveryStatus?: DeliveryStatus;
  billingStatus?: BillingStatus;
  status?: ExolveStatus;
  /** Inclusive bounds. */
  dateGte?: Date;
  dateLte?: Date;
}

// The contract's Uint32 bound; ledger ids are uint64, stored as zero-padded text (the server's
// encodeMessageId), so the whole range is exact. JSON Schema cannot state 2^64 - 1 exactly (the
// contract's Uint64 has no maximum), so that bound is the domain's.
const UINT32_MAX = BigInt(exolveUint32Max);
const UINT64_MAX = 2n ** 64n - 1n;

type Key = keyof ExolveCountFilter;
/** Wire name (snake_case and lowerCamelCase) -> filter key and the snake name used in messages: the generated table. */
const FIELDS: Record<string, readonly [Key, string]> = exolveGetCountFields;

/** The request's field names as messages use them (snake_case; each also taken in lowerCamelCase). */
const FIELD_NAMES = [...new Set(Object.values(FIELDS).map(([, name]) => name))];

/** "unknown field: numbr (the fields are message_id, limit, …, each also in lowerCamelCase)". */
export function exolveUnknownField(wire: string): string {
  return `unknown field: ${wire} (the fields are ${FIELD_NAMES.join(", ")}, each also in lowerCamelCase)`;
}

/**
 * Parses a GetCount body with proto3 JSON semantics: `0`, `""`, `null` and
 * `*_UNSPECIFIED` mean unset; integers are a JSON number or a decimal string,
 * range-checked with BigInt. An absent body counts everything.
 */
export function parseExolveGetCount(body: unknown): ExolveCountFilter {
  if (body === undefined) return {};
  if (!isPlainObject(body)) throw new DomainError("syntax_error", "syntax error: the body must be a JSON object", { status: 400 });
  const out: ExolveCountFilter = {};
  const seen = new Map<Key, string>();
  for (const [wire, raw] of Object.entries(body)) {
    const spec = Object.hasOwn(FIELDS, wire) ? FIELDS[wire] : undefined;
    if (!spec) throw new DomainError("unknown_field", exolveUnknownField(wire), { status: 400, field: wire });
    const [key, name] = spec;
    const twin = seen.get(key);
    if (twin !== undefined) {
      throw new DomainError("syntax_error", `syntax error: field ${name} given twice (as ${twin} and ${wire})`, { status: 400, field: name });
    }
    seen.set(key, wire);
    if (raw === null) continue;
    assign(out, key, name, raw);
  }
  return out;
}

function assign(out: ExolveCountFilter, key: Key, name: string, raw: unknown): void {
  switch (key) {
    case "messageId": {
      const id = parseMessageId(raw, name);
      if (id !== undefined) out.messageId = id;
      return;
    }
    case "limit": {
      const n = parseUint(raw, name, UINT32_MAX);
      if (n !== 0n) out.limit = n;
      return;
    }
    case "offset": {
      const n = parseUint(raw, name, UINT64_MAX);
      if (n !== 0n) out.offset = n;
      return;
    }
    case "number": {
      if (typeof raw !== "string") throw invalidValue(name, "expected a string");
      if (raw === "") return;
      out.number = isPhone(raw) ? { digits: phoneDigits(raw), senderName: raw } : { senderName: raw };
      return;
    }
    case "direction":
      return set(out, "direction", parseEnum(EXOLVE_DIRECTION, raw, name));
    case "deliveryStatus":
      return set(out, "deliveryStatus", parseEnum(EXOLVE_DELIVERY_STATUS, raw, name));
    case "billingStatus":
      return set(out, "billingStatus", parseEnum(EXOLVE_BILLING_STATUS, raw, name));
    case "status":
      return set(out, "status", parseEnum(EXOLVE_STATUS, raw, name));
    case "dateGte":
    case "dateLte": {
      if (typeof raw !== "string") throw invalidValue(name, "expected an RFC 3339 date-time string");
      if (raw === "") return;
      // Lower bounds round sub-millisecond digits up, upper bounds down: both stay inclusive.
      const d = parseRfc3339(raw, key === "dateGte" ? "ceil" : "floor");
      if (!d) throw invalidValue(name, `${JSON.stringify(raw)} is not an RFC 3339 date-time (e.g. "2023-01-20T11:30:01.335Z")`);
      out[key] = d;
      return;
    }
  }
}

function set<K extends "direction" | "deliveryStatus" | "billingStatus" | "status">(
  out: ExolveCountFilter,
  key: K,
  v: ExolveCountFilter[K],
): void {
  if (v !== undefined) out[key] = v;
}

function parseEnum<L extends string>(table: ExolveEnumTable<L>, raw: unknown, name: string): L | undefined {
  if (raw === "") return undefined;
  if (typeof raw !== "string" && typeof raw !== "number") throw invalidValue(name, "expected an enum name or number");
  return parseExolveEnum({ ...table, field: name }, raw);
}

/** A JSON number (safe integer) or a decimal string, 0..max. */
function parseUint(raw: unknown, name: string, max: bigint): bigint {
  let n: bigint;
  if (typeof raw === "number") {
    // Past 2^53 a JSON number has already lost digits: ask for a string.
    if (!Number.isSafeInteger(raw)) throw invalidValue(name, `${raw} is not an exact integer (send large values as a decimal string)`);
    n = BigInt(raw);
  } else if (typeof raw === "string") {
    if (raw === "") return 0n;
    if (!/^[0-9]+$/.test(raw)) throw invalidValue(name, `${JSON.stringify(raw)} is not a decimal integer`);
    n = BigInt(raw);
  } else {
    throw invalidValue(name, "expected an integer (JSON number or decimal string)");
  }
  if (n < 0n || n > max) throw invalidValue(name, `${n} is out of range: must be from 0 to ${max}`);
  return n;
}

function parseMessageId(raw: unknown, name: string): string | undefined {
  if (raw === "" || raw === 0) return undefined;
  const n = parseUint(raw, name, UINT64_MAX);
  return n.toString();
}

function invalidValue(field: string, detail: string): DomainError {
  return new DomainError("invalid_value", `invalid value: ${field}: ${detail}`, { status: 400, field });
}

/** The GetCount answer with a window: min(max(total - offset, 0), limit). */
export function exolveWindow(total: bigint, offset?: bigint | number, limit?: bigint | number): bigint {
  const left = total - BigInt(offset ?? 0);
  const rest = left > 0n ? left : 0n;
  if (limit === undefined) return rest;
  const l = BigInt(limit);
  return rest < l ? rest : l;
}
