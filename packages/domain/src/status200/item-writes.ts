import { status200Catalog } from "@commlog/contracts";
import { invalid } from "../common/errors.js";
import { phoneDigits } from "../common/phone-number.js";
import { INCOMING_CALL_LOG_ITEM, type FieldDef } from "./resources.js";
import { describe, isPlainObject, parseDate, parseUuid, unwrap } from "../common/wire-values.js";

// Create/update data for Incoming Call Log Item (SPEC §4), the only resource writable via
// Status200. Which fields may be written, which are required, their defaults and bounds are the
// generated catalog's (IncomingCallLogItemCreateData / UpdateData in the TypeSpec): the server's
// validator has already enforced all of them against the same documents before these parsers run,
// so they only turn wire values into column values (unwrap, lowercase ids, parse dates, phone digits).

type ItemField = (typeof status200Catalog)["IncomingCallLogItem"]["fields"][number];
type KindValue<K> = K extends "date" ? Date : K extends "integer" ? number : K extends "boolean" ? boolean : string;
type Value<F extends ItemField> = KindValue<F["kind"]> | (F["nullable"] extends true ? null : never);
type CreateField = Extract<ItemField, { writable: "create" | "create+update" }>;
type UpdateField = Extract<ItemField, { writable: "update" | "create+update" }>;
/** Always present after a create: required, filled with the contract's default, or null when left out. */
type PresentField = Extract<CreateField, { required: true } | { default: unknown } | { nullable: true }>;
/** The digits-only copy of each phone column. */
type Digits<F extends ItemField> = { [P in Extract<F, { kind: "phone" }> as `${P["name"]}Digits`]: Value<P> };

/** A create's column values, every one present; `projectId` only when given (the caller checks it is the key's project). */
export type IncomingCallLogItemCreate = { [F in PresentField as F["name"]]: Value<F> } & {
  [F in Exclude<CreateField, PresentField> as F["name"]]?: Value<F>;
} & Digits<PresentField> & Partial<Digits<Exclude<CreateField, PresentField>>>;

export type IncomingCallLogItemUpdate = { [F in UpdateField as F["name"]]?: Value<F> } & Partial<Digits<UpdateField>>;

/**
 * What a create leaves out and the server fills in, per column: the default the contract states
 * (SPEC §10: `isAnswered` false), else null for a nullable field (and its digits copy).
 */
export const CREATE_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  INCOMING_CALL_LOG_ITEM.fields
    .filter((f) => f.writable.includes("create") && (f.default !== undefined || f.nullable))
    .flatMap((f) => [[f.column, f.default ?? null], ...(f.matchColumn ? [[f.matchColumn, f.default ?? null]] : [])]),
);

export function parseCreateData(data: unknown): IncomingCallLogItemCreate {
  return { ...CREATE_DEFAULTS, ...parseData(data, "create") } as unknown as IncomingCallLogItemCreate;
}

export function parseUpdateData(data: unknown): IncomingCallLogItemUpdate {
  const values = parseData(data, "update");
  // JSON Schema could say `minProperties: 1`, but an empty update is the one case worth its own
  // message ("nothing to update"), which a schema error cannot give.
  if (Object.keys(values).length === 0) throw invalid("data", "nothing to update: give at least one field");
  return values as IncomingCallLogItemUpdate;
}

function parseData(data: unknown, mode: "create" | "update"): Record<string, unknown> {
  if (!isPlainObject(data)) throw invalid("data", `expected an object, got ${describe(data)}`);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(data)) {
    const f = INCOMING_CALL_LOG_ITEM.fields.find((x) => x.name === key);
    // Kept although the sealed schema refuses such keys: only catalog fields may ever reach a
    // column, whoever calls this parser (no mass assignment of `_id`, `projectId` on update...).
    if (!f || !f.writable.includes(mode)) throw invalid(`data.${key}`, `unknown field for ${mode}`, "unknown_field");
    if (raw !== undefined) writeValue(out, f, raw, `data.${key}`);
  }
  return out;
}

/** The column value(s) of one valid wire value. */
function writeValue(out: Record<string, unknown>, f: FieldDef, raw: unknown, path: string): void {
  const v = unwrap(raw, f.kind === "uuid" ? "ObjectID" : f.kind === "date" ? "DateTime" : f.kind === "phone" ? "Phone" : undefined, path);
  if (v === null) {
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
      out[f.column] = v;
      out[f.matchColumn!] = phoneDigits(String(v));
      return;
    default:
      out[f.column] = v;
  }
}
