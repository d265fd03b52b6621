// The ledger's integrity invariants, checked against the rows themselves (SPEC §10 "Concurrency"):
// maintained counts equal COUNT(*), each idempotency key and message id once, every status text
// the one its delivery/billing status derive.
import assert from "node:assert/strict";
import { deriveStatusText, type BillingStatus, type DeliveryStatus } from "@commlog/domain";
import type { DataSource } from "typeorm";

type Row = Record<string, string | number>;

export async function assertLedgerIntegrity(dataSource: DataSource): Promise<void> {
  const maintained = (await dataSource.query(`SELECT "projectId", direction, status, n FROM sms_status_count WHERE n <> 0`)) as Row[];
  const real = (await dataSource.query(`SELECT "projectId", direction, status, COUNT(*) AS n FROM sms GROUP BY "projectId", direction, status`)) as Row[];
  const byKey = (rows: Row[]) => Object.fromEntries(rows.map((r) => [`${r.projectId}/${r.direction}/${r.status}`, Number(r.n)]));
  assert.deepEqual(byKey(maintained), byKey(real), "maintained status counts equal COUNT(*)");

  const twiceKeyed = (await dataSource.query(
    `SELECT "projectId", "providerExternalId", "toNumberDigits" FROM sms WHERE "providerExternalId" IS NOT NULL GROUP BY "projectId", "providerExternalId", "toNumberDigits" HAVING COUNT(*) > 1`,
  )) as Row[];
  assert.deepEqual(twiceKeyed, [], "each idempotency key is stored once");
  const twiceNumbered = (await dataSource.query(`SELECT "messageId" FROM sms GROUP BY "messageId" HAVING COUNT(*) > 1`)) as Row[];
  // (These tests import no ids, so every id is server-made and must be unique across all projects.)
  assert.deepEqual(twiceNumbered, [], "server-made message ids are unique across the ledger");

  const statuses = (await dataSource.query(`SELECT DISTINCT "deliveryStatus", "billingStatus", status FROM sms`)) as Row[];
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
