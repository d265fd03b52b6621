import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { migrate } from "../src/db/data-source.js";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";
import { assertLedgerIntegrity } from "./support/ledger-invariants.js";

// Totals served from the maintained daily rollups (Status200 SMS Log counts for no filter or a
// `status` filter, TelecomX month totals, Exolve counts over date ranges) compared with real
// COUNT(*)s: forced through the indexes by an extra condition that matches every row, or run as SQL.
for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: totals from the daily rollups`, () => {
    let h: Harness;
    let projectId: string;
    let key: string;
    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ReadSmsLog"] });
    });
    afterAll(() => h?.close());

    const everyRow = { smsCostInUSDCents: { _type: "GreaterThanOrEqual", value: 0 } };
    const count = async (query: object) => {
      const response = await h.http.post("/api/sms-log/count").set("ApiKey", key).send({ query });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.count as number;
    };
    const listTotal = async (query: object) => (await h.http.post("/api/sms-log/get-list").set("ApiKey", key).send({ query })).body.count as number;

    async function assertConsistent() {
      for (const query of [{}, { status: "Delivered" }, { status: "Sent" }, { status: ["Delivered", "Failed", "Low Balance"] }, { status: { _type: "Includes", value: ["Sending"] } }]) {
        const fast = await count(query);
        assert.equal(fast, await count({ ...query, ...everyRow }), JSON.stringify(query));
        assert.equal(await listTotal(query), fast, JSON.stringify(query));
      }
    }

    it("agree with the ledger through ingest, replays, concurrent batches and status changes", async () => {
      const statuses = ["Delivered", "Sent", "Sending", "Failed", "Low Balance"];
      const batch = (offset: number) =>
        Array.from({ length: 40 }, (_, i) => ({
          projectId,
          toNumber: `+4581${String(offset + i).padStart(6, "0")}`,
          status: statuses[i % statuses.length],
          direction: i % 7 === 0 ? "incoming" : "outgoing",
          providerExternalId: `p-${offset + i}`,
        }));
      const first = await h.ingest(batch(0));
      await h.ingest(batch(0)); // a replay adds nothing
      await Promise.all([h.ingest(batch(100)), h.ingest(batch(200)), h.ingest(batch(100))]);
      await assertConsistent();

      const sent = first.filter((_, i) => i % statuses.length === 1 && i % 7 !== 0);
      for (const message of sent.slice(0, 3)) {
        assert.equal((await h.internal("post", "/internal/v1/sms/status", { _id: message._id, deliveryStatus: "delivered" })).status, 200);
      }
      // a late, older webhook changes nothing
      await h.internal("post", "/internal/v1/sms/status", { _id: sent[0]!._id, deliveryStatus: "transmitted" });
      await h.internal("post", "/internal/v1/sms/status", { _id: sent[3]!._id, billingStatus: "underfunded" });
      await assertConsistent();
    });

    it("survive many concurrent batches with different status mixes (no deadlock)", async () => {
      const statuses = ["Delivered", "Sent", "Sending", "Failed", "Low Balance"];
      const batch = (b: number) =>
        Array.from({ length: 50 }, (_, i) => ({ projectId, toNumber: `+4582${String(b * 100 + i).padStart(6, "0")}`, status: statuses[(i * (b + 1)) % statuses.length] }));
      const results = await Promise.all(Array.from({ length: 8 }, (_, b) => h.internal("post", "/internal/v1/sms", { messages: batch(b).reverse() })));
      assert.deepEqual(results.map((r) => r.status), Array(8).fill(200));
      await assertConsistent();
    });

    it("answer TelecomX month totals and Exolve date ranges exactly, edges of days included", async () => {
      const owner = await h.createKey({ projectId, permissions: ["ReadSmsLog"], accessLevel: "OWNER" });
      const statuses = ["Delivered", "Sent", "Failed", "Low Balance"];
      const start = Date.UTC(2025, 0, 30, 22);
      // Every 7 hours 13 minutes over ~3 months, both directions: days, months and their edges all hold rows.
      const messages = Array.from({ length: 300 }, (_, i) => ({
        projectId,
        toNumber: `+4583${String(i).padStart(6, "0")}`,
        direction: i % 4 === 3 ? "incoming" : "outgoing",
        type: i % 5 === 4 ? "MMS" : "SMS",
        status: statuses[i % statuses.length],
        createdAt: new Date(start + i * 433 * 60_000 + (i % 7)).toISOString(),
      }));
      await h.ingest(messages);
      const p = (i: number) => h.dataSource.driver.createParameter(`p${i}`, i);
      const sqlCount = async (where: string, params: unknown[]) =>
        Number(((await h.dataSource.query(`SELECT COUNT(*) AS n FROM sms WHERE "projectId" = ${p(0)} AND ${where}`, [projectId, ...params])) as Array<{ n: number }>)[0]!.n);
      const at = (ms: number) => (h.engine === "postgres" ? new Date(ms) : new Date(ms).toISOString().replace("T", " ").replace("Z", ""));

      for (const [fromDate, toDate] of [["2025-01", "2025-01"], ["2025-02", "2025-03"], ["2025-03", "2025-04"]] as const) {
        const response = await h.http.get(`/sms?fromDate=${fromDate}&toDate=${toDate}&limit=1`).set("Authorization", `Bearer ${owner}`);
        const from = Date.parse(`${fromDate}-01T00:00:00Z`);
        const to = new Date(Date.parse(`${toDate}-01T00:00:00Z`));
        to.setUTCMonth(to.getUTCMonth() + 1);
        const expected = await sqlCount(`direction = 'outgoing' AND "createdAt" >= ${p(1)} AND "createdAt" < ${p(2)}`, [at(from), at(to.getTime())]);
        assert.equal(response.body.total, expected, `${fromDate}..${toDate}`);
      }

      const ranges: Array<[number, number]> = [
        [Date.UTC(2025, 1, 3), Date.UTC(2025, 1, 10) - 1], // whole days only
        [Date.UTC(2025, 1, 3, 5, 17, 0, 3), Date.UTC(2025, 2, 1, 23, 0)], // both edges partial
        [Date.UTC(2025, 1, 3, 5), Date.UTC(2025, 1, 3, 20)], // inside one day
        [Date.UTC(2025, 1, 3, 5), Date.UTC(2025, 1, 4, 3)], // two partial days, no whole one
      ];
      for (const [from, to] of ranges) {
        for (const extra of [{}, { status: "STATUS_DELIVERED" }, { direction: "DIRECTION_INCOMING" }, { delivery_status: "DELIVERY_STATUS_FAILED", billing_status: "BILLING_STATUS_PREBILLED" }]) {
          const body = { date_gte: new Date(from).toISOString(), date_lte: new Date(to).toISOString(), ...extra };
          const response = await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${owner}`).send(body);
          const conditions = [`"createdAt" >= ${p(1)}`, `"createdAt" <= ${p(2)}`];
          if ("status" in extra) conditions.push(`"exolveStatus" = 'DELIVERED'`);
          if ("direction" in extra) conditions.push(`direction = 'incoming'`);
          if ("delivery_status" in extra) conditions.push(`"deliveryStatus" = 'failed'`, `"billingStatus" = 'prebilled'`);
          assert.equal(response.body.count, String(await sqlCount(conditions.join(" AND "), [at(from), at(to)])), JSON.stringify(body));
        }
      }
      await assertLedgerIntegrity(h.dataSource);
    });

    it("are rebuilt from the ledger by their migration", async () => {
      const before = await count({ status: "Delivered" });
      await h.dataSource.undoLastMigration(); // the partitions and claims
      await h.dataSource.undoLastMigration(); // the rollups
      assert.deepEqual(await migrate(h.dataSource), ["SmsDailyCounts1795700000000", "SmsPartitionsAndClaims1795800000000"]);
      assert.equal(await count({ status: "Delivered" }), before);
      await assertConsistent();
      await assertLedgerIntegrity(h.dataSource);
    });
  });
}
