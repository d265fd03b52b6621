import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { migrate } from "../src/db/data-source.js";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// Status200 SMS Log totals for no filter or a `status` filter come from maintained counts; these
// tests compare them with real COUNT(*)s (forced by an extra condition that matches every row).
for (const engine of testEngines()) {
  describe(`${engine.name}: SMS Log totals from the status counts`, { skip: engine.skip }, () => {
    let h: Harness;
    let projectId: string;
    let key: string;
    before(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ReadSmsLog"] });
    });
    after(() => h?.close());

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

    it("are rebuilt from the ledger by their migration", async () => {
      const before = await count({ status: "Delivered" });
      await h.dataSource.undoLastMigration();
      await h.dataSource.undoLastMigration();
      assert.deepEqual(await migrate(h.dataSource), ["SmsStatusCounts1795500000000", "MessageIdSequenceAndTimestampRange1795600000000"]);
      assert.equal(await count({ status: "Delivered" }), before);
      await assertConsistent();
    });
  });
}
