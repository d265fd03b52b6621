import { contractEnums } from "@commlog/contracts";
import { DomainError, invalid } from "../common/errors.js";

// The vocabularies are the contract's (the internal API's enums, Exolve's enums); this module
// decides how they map onto each other.
const { internal, exolve } = contractEnums;

export const DELIVERY_STATUSES = internal.DeliveryStatus;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const BILLING_STATUSES = internal.BillingStatus;
export type BillingStatus = (typeof BILLING_STATUSES)[number];

/** OneUptime's SmsStatus vocabulary, the Status200 `status` text. */
export const SMS_STATUS_TEXTS = internal.SmsStatus;
export type SmsStatusText = (typeof SMS_STATUS_TEXTS)[number];

type Unprefixed<T extends string, P extends string> = T extends `${P}${infer Rest}` ? (Rest extends "UNSPECIFIED" ? never : Rest) : never;
/** Exolve's combined status, as the ledger stores it: the wire name without `STATUS_`. */
export type ExolveStatus = Unprefixed<(typeof exolve.Status)[number], "STATUS_">;
export const EXOLVE_STATUSES = exolve.Status.slice(1).map((name) => name.slice("STATUS_".length)) as ExolveStatus[];

export type Direction = (typeof internal.SmsDirection)[number];

/**
 * The one status table (SPEC §9). Each text names the delivery status it
 * implies; "Low Balance" instead implies underfunded billing. Read left to
 * right it derives a text from a delivery status (first text per status).
 */
const TEXT_TABLE: ReadonlyArray<readonly [SmsStatusText, { delivery?: DeliveryStatus; billing?: BillingStatus }]> = [
  ["Sending", { delivery: "queued" }],
  ["Sent", { delivery: "transmitted" }],
  ["Delivered", { delivery: "delivered" }],
  ["Failed", { delivery: "failed" }],
  ["Success", { delivery: "delivered" }],
  ["Undelivered", { delivery: "failed" }],
  ["Error", { delivery: "failed" }],
  ["Low Balance", { billing: "underfunded" }],
];

export function statusTextImplies(text: SmsStatusText): { delivery?: DeliveryStatus; billing?: BillingStatus } {
  return TEXT_TABLE.find(([t]) => t === text)![1];
}

/** The text shown for a delivery/billing pair when none was given. */
export function deriveStatusText(delivery: DeliveryStatus, billing: BillingStatus): SmsStatusText {
  if (billing === "underfunded") return "Low Balance";
  return TEXT_TABLE.find(([, v]) => v.delivery === delivery)![0];
}

export interface IngestStatus {
  deliveryStatus: DeliveryStatus;
  billingStatus: BillingStatus;
  status: SmsStatusText;
}

/**
 * Fills what ingest did not give from what it did, by the table above;
 * defaults queued / prebilled. Inputs that contradict each other
 * (delivered + "Failed", "Low Balance" + billed, underfunded + "Sent") are a
 * 400: guessing which one is right would store a lie.
 */
export function resolveIngestStatus(input: {
  deliveryStatus?: string | undefined;
  billingStatus?: string | undefined;
  status?: string | undefined;
}): IngestStatus {
  const delivery = oneOf(input.deliveryStatus, DELIVERY_STATUSES, "deliveryStatus");
  const billing = oneOf(input.billingStatus, BILLING_STATUSES, "billingStatus");
  const text = oneOf(input.status, SMS_STATUS_TEXTS, "status");
  if (text === undefined) {
    const d = delivery ?? "queued";
    const b = billing ?? "prebilled";
    return { deliveryStatus: d, billingStatus: b, status: deriveStatusText(d, b) };
  }
  const implied = statusTextImplies(text);
  if (implied.delivery && delivery && implied.delivery !== delivery) {
    throw contradiction(`deliveryStatus "${delivery}" contradicts status "${text}" (which means ${implied.delivery})`);
  }
  if (implied.billing && billing && implied.billing !== billing) {
    throw contradiction(`billingStatus "${billing}" contradicts status "${text}" (which means billing ${implied.billing})`);
  }
  if (!implied.billing && billing === "underfunded") {
    throw contradiction(`billingStatus "underfunded" contradicts status "${text}" (underfunded billing is "Low Balance")`);
  }
  return {
    deliveryStatus: delivery ?? implied.delivery ?? "queued",
    billingStatus: billing ?? implied.billing ?? "prebilled",
    status: text,
  };
}

function contradiction(message: string): DomainError {
  return new DomainError("contradictory_status", message, { status: 400, field: "status" });
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], field: string): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalid(field, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
  }
  return v as T;
}

/** Exolve's combined status, by SPEC §9 precedence. */
export function exolveStatus(s: {
  deliveryStatus: DeliveryStatus;
  billingStatus: BillingStatus;
  prohibited: boolean;
}): ExolveStatus {
  if (s.prohibited) return "PROHIBITED";
  if (s.billingStatus === "underfunded") return "UNDERFUNDED";
  if (s.deliveryStatus === "failed" || s.billingStatus === "failed") return "FAILED";
  if (s.deliveryStatus === "delivered") return "DELIVERED";
  if (s.deliveryStatus === "transmitted") return "TRANSMITTED";
  return "QUEUED";
}

const DELIVERY_RANK: Record<DeliveryStatus, number> = { queued: 0, transmitted: 1, delivered: 2, failed: 2 };

/**
 * Delivery status only moves forward (queued → transmitted → delivered |
 * failed); a late, older webhook leaves the status as it is.
 */
export function advanceDeliveryStatus(current: DeliveryStatus, next: DeliveryStatus): DeliveryStatus {
  return DELIVERY_RANK[next] > DELIVERY_RANK[current] ? next : current;
}

// ---- Exolve enums: name ↔ number ↔ ledger value ----------------------------

export interface ExolveEnumTable<L extends string> {
  /** The field name used in error messages. */
  readonly field: string;
  /** [wire name, number, ledger value]; number 0 is *_UNSPECIFIED (unset). */
  readonly entries: ReadonlyArray<readonly [string, number, L | undefined]>;
}

/**
 * An Exolve enum's table from the contract: member n is number n (0 is *_UNSPECIFIED, unset); its
 * ledger value is the name without the prefix, in the ledger's spelling, which must be one of the
 * ledger's own values (checked when the module loads).
 */
function exolveTable<L extends string>(field: string, names: readonly string[], prefix: string, ledger: readonly L[], spell: (rest: string) => string): ExolveEnumTable<L> {
  const entries = names.map((name, n): readonly [string, number, L | undefined] => {
    if (n === 0) return [name, 0, undefined];
    const value = spell(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !(ledger as readonly string[]).includes(value)) throw new Error(`Exolve ${field} ${name} has no ledger value`);
    return [name, n, value as L];
  });
  return { field, entries };
}

const lower = (rest: string) => rest.toLowerCase();
export const EXOLVE_DIRECTION = exolveTable<Direction>("direction", exolve.Direction, "DIRECTION_", internal.SmsDirection, lower);
export const EXOLVE_DELIVERY_STATUS = exolveTable<DeliveryStatus>("delivery_status", exolve.DeliveryStatus, "DELIVERY_STATUS_", DELIVERY_STATUSES, lower);
export const EXOLVE_BILLING_STATUS = exolveTable<BillingStatus>("billing_status", exolve.BillingStatus, "BILLING_STATUS_", BILLING_STATUSES, lower);
export const EXOLVE_STATUS = exolveTable<ExolveStatus>("status", exolve.Status, "STATUS_", EXOLVE_STATUSES, (rest) => rest);

/**
 * An enum given by name or by JSON number (proto3 JSON) → its ledger value;
 * undefined for 0 / *_UNSPECIFIED (proto3: unset). Unknown names and numbers,
 * and numbers sent as strings (proto3 JSON does not allow them), are
 * "invalid value".
 */
export function parseExolveEnum<L extends string>(table: ExolveEnumTable<L>, value: string | number): L | undefined {
  const entry = table.entries.find(([name, n]) => (typeof value === "number" ? n === value : name === value));
  if (!entry) {
    const names = table.entries.slice(1).map(([name, n]) => `${name} (${n})`).join(", ");
    throw new DomainError("invalid_value", `invalid value: ${table.field}: ${JSON.stringify(value)} is not one of ${names}`, {
      status: 400,
      field: table.field,
    });
  }
  return entry[2];
}

/** A ledger value → its Exolve wire name and number. */
export function exolveEnumOf<L extends string>(table: ExolveEnumTable<L>, ledger: L): { name: string; number: number } {
  const entry = table.entries.find(([, , l]) => l === ledger);
  if (!entry) throw new Error(`no ${table.field} entry for ${ledger}`);
  return { name: entry[0], number: entry[1] };
}
