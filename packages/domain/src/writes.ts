import { invalid } from "./errors.js";
import { isPhone, phoneDigits } from "./phone-number.js";
import { INCOMING_CALL_LOG_ITEM, type FieldDef } from "./resources.js";
import { describe, isPlainObject, parseDate, parseUuid, unwrap } from "./wire-values.js";

// Create/update data for Incoming Call Log Item (SPEC §4), the only resource
// writable via Status200. Output keys are entity columns.

export interface IncomingCallLogItemCreate {
  /** Only when given: the caller checks it equals the key's project. */
  projectId?: string;
  incomingCallLogId: string;
  incomingCallPolicyEscalationRuleId?: string | null;
  userId?: string | null;
  userPhoneNumber?: string | null;
  userPhoneNumberDigits?: string | null;
  status: string;
  statusMessage?: string | null;
  dialDurationInSeconds?: number | null;
  callCostInUSDCents?: number | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  isAnswered: boolean;
}

export type IncomingCallLogItemUpdate = Partial<
  Pick<
    IncomingCallLogItemCreate,
    "status" | "statusMessage" | "dialDurationInSeconds" | "callCostInUSDCents" | "startedAt" | "endedAt" | "isAnswered"
  >
>;

/** Set by the server only; a create carrying `_id` must never become an update of another row. */
const SERVER_SET = ["_id", "id", "createdAt", "updatedAt", "deletedAt", "version"];

/** Integer columns are 32-bit on both engines: larger values would be a 500 later. */
const MAX_INT = 2_147_483_647;

/** What a create leaves out and the server fills in (SPEC §10: upstream defaults `isAnswered`). */
export const CREATE_DEFAULTS = { isAnswered: false } as const;

export function parseCreateData(data: unknown): IncomingCallLogItemCreate {
  const values = parseData(data, "create");
  for (const required of ["incomingCallLogId", "status"]) {
    if (values[required] === undefined) throw invalid(`data.${required}`, "is required");
  }
  return { ...CREATE_DEFAULTS, ...values } as unknown as IncomingCallLogItemCreate;
}

export function parseUpdateData(data: unknown): IncomingCallLogItemUpdate {
  const values = parseData(data, "update");
  if (Object.keys(values).length === 0) throw invalid("data", "nothing to update: give at least one field");
  return values as IncomingCallLogItemUpdate;
}

function parseData(data: unknown, mode: "create" | "update"): Record<string, unknown> {
  if (!isPlainObject(data)) throw invalid("data", `expected an object, got ${describe(data)}`);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(data)) {
    const path = `data.${key}`;
    if (SERVER_SET.includes(key)) throw invalid(path, "is set by the server and cannot be written", "invalid_query");
    const relation = INCOMING_CALL_LOG_ITEM.fields.find((f) => f.relation === key);
    if (relation) throw invalid(path, `relation objects cannot be written; give ${relation.name}`, "invalid_query");
    const f = INCOMING_CALL_LOG_ITEM.fields.find((x) => x.name === key);
    if (!f || f.writable === "never") throw invalid(path, "unknown field", "unknown_field");
    if (!f.writable.includes(mode)) throw invalid(path, `cannot be changed by ${mode}`, "invalid_query");
    if (raw === undefined) continue;
    writeValue(out, f, raw, path);
  }
  return out;
}

function writeValue(out: Record<string, unknown>, f: FieldDef, raw: unknown, path: string): void {
  const v = unwrap(raw, f.kind === "uuid" ? "ObjectID" : f.kind === "date" ? "DateTime" : f.kind === "phone" ? "Phone" : undefined, path);
  if (v === null) {
    if (!f.nullable) throw invalid(path, "must not be null");
    out[f.column] = null;
    if (f.matchColumn) out[f.matchColumn] = null;
    return;
  }
  switch (f.kind) {
    case "uuid":
      out[f.column] = parseUuid(v, path);
      return;
    case "date":
      out[f.column] = parseDate(v, path);
      return;
    case "phone":
      if (typeof v !== "string" || !isPhone(v)) {
        throw invalid(path, `expected a phone number (up to 30 characters of +, digits, space, -().; 3 to 15 digits), got ${describe(v)}`);
      }
      out[f.column] = v;
      out[f.matchColumn!] = phoneDigits(v);
      return;
    case "text": {
      if (typeof v !== "string") throw invalid(path, `expected a string, got ${describe(v)}`);
      const max = f.maxLength!;
      if (v.length > max) throw invalid(path, `is longer than ${max} characters`);
      // `status` is required free text: it must say something.
      if (!f.nullable && v.trim() === "") throw invalid(path, "must not be empty");
      out[f.column] = v;
      return;
    }
    case "integer":
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > MAX_INT) {
        throw invalid(path, `expected a non-negative integer up to ${MAX_INT}, got ${describe(v)}`);
      }
      out[f.column] = v;
      return;
    case "boolean":
      if (typeof v !== "boolean") throw invalid(path, `expected true or false, got ${describe(v)}`);
      out[f.column] = v;
      return;
  }
}
