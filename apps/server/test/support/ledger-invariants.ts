// The ledger's integrity invariants, checked against the rows themselves (SPEC §10 "Concurrency"):
// maintained rollups equal COUNT(*), each idempotency key and message id once, every status text
// the one its delivery/billing status derive.
import assert from "node:assert/strict";
import { deriveStatusText, type BillingStatus, type DeliveryStatus } from "@commlog/domain";
import type { DataSource } from "typeorm";
import { inThisRealm } from "./realm.js";

type Row = Record<string, string | number>;

export async function assertLedgerIntegrity(dataSource: DataSource): Promise<void> {
  const query = async (sql: string) => inThisRealm((await dataSource.query(sql)) as Row[]);
  const dims = `"projectId", day, direction, type, "deliveryStatus", "billingStatus", "exolveStatus", status`;
  const day = dataSource.options.type === "postgres" ? `to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : `substr("createdAt", 1, 10)`;
  const maintained = await query(`SELECT ${dims}, n FROM sms_daily_count WHERE n <> 0`);
  const real = await query(`SELECT ${dims}, COUNT(*) AS n FROM (SELECT *, ${day} AS day FROM sms) AS ledger GROUP BY ${dims}`);
  const negative = await query(`SELECT ${dims}, n FROM sms_daily_count WHERE n < 0`);
  assert.deepEqual(negative, [], "no rollup is negative");
  const byKey = (rows: Row[]) => Object.fromEntries(rows.map((r) => [[r.projectId, r.day, r.direction, r.type, r.deliveryStatus, r.billingStatus, r.exolveStatus, r.status].join("/"), Number(r.n)]));
  assert.deepEqual(byKey(maintained), byKey(real), "maintained daily rollups equal COUNT(*) per day and dimension");

  const twiceKeyed = await query(
    `SELECT "projectId", "providerExternalId", "toNumberDigits" FROM sms WHERE "providerExternalId" IS NOT NULL GROUP BY "projectId", "providerExternalId", "toNumberDigits" HAVING COUNT(*) > 1`,
  );
  assert.deepEqual(twiceKeyed, [], "each idempotency key is stored once");
  const twiceNumbered = await query(`SELECT "messageId" FROM sms GROUP BY "messageId" HAVING COUNT(*) > 1`);
  // (These tests import no ids, so every id is server-made and must be unique across all projects.)
  assert.deepEqual(twiceNumbered, [], "server-made message ids are unique across the ledger");

  const statuses = await query(`SELECT DISTINCT "deliveryStatus", "billingStatus", status FROM sms`);
  for (const row of statuses) {
    assert.equal(row.status, deriveStatusText(row.deliveryStatus as DeliveryStatus, row.billingStatus as BillingStatus), `status text of ${JSON.stringify(row)}`);
  }
}

/** deliveryStatus by providerExternalId, for one project. */
export async function deliveryStatuses(dataSource: DataSource, projectId: string): Promise<Map<string, string>> {
  const p = dataSource.driver.createParameter("p0", 0);
  const rows = (await dataSource.query(`SELECT "providerExternalId" AS k, "deliveryStatus" AS d FROM sms WHERE "projectId" = ${p}`, [projectId])) as Row[];
  return new Map(rows.map((row) => [String(row.k), String(row.d)]));
}
