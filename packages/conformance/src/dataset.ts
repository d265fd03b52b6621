/**
 * The ledger rows the suite records in its main project (A1), as data, with the few derived
 * values the SPEC fixes (status texts, Exolve combined status). Scenarios compute their expected
 * counts and orders from these rows, so adding a row keeps every expectation right.
 */
export type Delivery = "queued" | "transmitted" | "delivered" | "failed";
export type Billing = "prebilled" | "billed" | "underfunded" | "failed";

export interface Row {
  i: number;
  direction: "outgoing" | "incoming";
  deliveryStatus: Delivery;
  billingStatus: Billing;
  prohibited: boolean;
  toNumber: string;
  fromNumber: string | null;
  senderName: string | null;
  smsText: string;
  smsCostInUSDCents: number;
  createdAt: string;
  sentAt: string | null;
  invoicedAt: string | null;
  withNames: boolean;
  withAlert: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** The 24 rows of project A1: 20 outgoing, 4 incoming, spread over the months of 2024. */
export function a1Rows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 24; i++) {
    const deliveryStatus = (["queued", "transmitted", "delivered", "failed"] as const)[i % 4]!;
    const billingStatus: Billing =
      i === 8 ? "underfunded" : i === 15 ? "failed" : deliveryStatus === "delivered" ? "billed" : "prebilled";
    const created = Date.UTC(2024, Math.floor(i / 2), 10 + (i % 2) * 5, i, 0, 0, 123);
    rows.push({
      i,
      direction: i % 6 === 5 ? "incoming" : "outgoing",
      deliveryStatus,
      billingStatus,
      prohibited: i === 12,
      toNumber: i === 0 ? "+45 81 80 88 88" : i === 1 ? "+4581808888" : i === 2 ? "4581808888" : `+4522${pad(i, 6)}`,
      fromNumber: i % 3 === 0 ? null : `+4533${pad(i, 6)}`,
      senderName: i % 3 === 0 ? `Shop${i}` : null,
      smsText: i === 4 ? "100%_off sale" : i === 7 ? "100 percent off" : `conformance message ${i}`,
      smsCostInUSDCents: i,
      createdAt: new Date(created).toISOString(),
      sentAt: deliveryStatus === "queued" ? null : new Date(created + 60_000).toISOString(),
      invoicedAt: billingStatus === "billed" ? new Date(created + 86_400_000).toISOString() : null,
      withNames: i % 4 === 1,
      withAlert: i % 2 === 0,
    });
  }
  return rows;
}

/** Status200 `status` text (SPEC §9 status mapping). */
export function status200Status(r: Row): string {
  if (r.billingStatus === "underfunded") return "Low Balance";
  return { queued: "Sending", transmitted: "Sent", delivered: "Delivered", failed: "Failed" }[r.deliveryStatus];
}

/** Exolve combined status (SPEC §9): first match wins. */
export function exolveStatus(r: Row): string {
  if (r.prohibited) return "STATUS_PROHIBITED";
  if (r.billingStatus === "underfunded") return "STATUS_UNDERFUNDED";
  if (r.deliveryStatus === "failed" || r.billingStatus === "failed") return "STATUS_FAILED";
  if (r.deliveryStatus === "delivered") return "STATUS_DELIVERED";
  if (r.deliveryStatus === "transmitted") return "STATUS_TRANSMITTED";
  return "STATUS_QUEUED";
}

export const digits = (s: string | null) => (s ?? "").replace(/\D/g, "");

/** Newest first by a timestamp, nulls last, then by insertion (numeric id) descending: TelecomX order. */
export function newestFirst(rows: Row[], key: "createdAt" | "sentAt" | "invoicedAt" = "createdAt"): Row[] {
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return b.i - a.i;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? 1 : -1;
  });
}
