import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { migrate } from "../src/db/data-source.js";
import { testEngines } from "./support/databases.js";
import { inThisRealm } from "./support/realm.js";
import { startHarness, type Harness } from "./support/harness.js";

// The migration that brings a database written before SPEC §10 into line: timestamps outside
// 0001..9999 UTC clamped, SQLite's timestamps rewritten into the one form that sorts as time, and the
// server's message ids continuing above every id already stored.
for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: the message-id and timestamp-range migration`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(engine);
    });
    afterAll(() => h?.close());

    it("converts existing rows and starts the server's ids above the largest stored one", async () => {
      const projectId = (await h.createProject())._id;
      const [first] = await h.ingest([{ projectId, toNumber: "+4581808888", providerExternalId: "old-1", messageId: "5000000000000000000" }]);
      await h.ingest([{ projectId, toNumber: "+4581808888", providerExternalId: "old-2", createdAt: "2026-03-01T12:00:00.123Z" }]);
      await h.dataSource.undoLastMigration(); // the partitions and claims
      await h.dataSource.undoLastMigration(); // the daily rollups
      await h.dataSource.undoLastMigration(); // this migration

      const p = (i: number) => h.dataSource.driver.createParameter(`p${i}`, i);
      // What an older server could leave behind: a year-10000 instant, and on SQLite another text form.
      const far = engine.name === "postgres" ? "10000-01-01 00:00:00+00" : "10000-01-01 00:00:00.000";
      await h.dataSource.query(`UPDATE sms SET "createdAt" = ${p(0)} WHERE "providerExternalId" = 'old-1'`, [far]);
      if (engine.name === "sqlite") await h.dataSource.query(`UPDATE sms SET "createdAt" = '2026-03-01T12:00:00.123Z' WHERE "providerExternalId" = 'old-2'`);

      assert.deepEqual(await migrate(h.dataSource), ["MessageIdSequenceAndTimestampRange1795600000000", "SmsDailyCounts1795700000000", "SmsPartitionsAndClaims1795800000000"]);
      const key = await h.createKey({ projectId, permissions: ["ReadSmsLog"] });
      const listed = await h.http.post("/api/sms-log/get-list").set("ApiKey", key).send({ select: { createdAt: true }, sort: { createdAt: -1 } });
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.deepEqual(
        listed.body.data.map((row: { _id: string; createdAt: string }) => [row._id === first!._id, row.createdAt]),
        [
          [true, "9999-12-31T23:59:59.999Z"],
          [false, "2026-03-01T12:00:00.123Z"],
        ],
      );
      if (engine.name === "sqlite") {
        const stored = (await h.dataSource.query(`SELECT "createdAt" AS t FROM sms WHERE "projectId" = ? ORDER BY "createdAt"`, [projectId])) as Array<{ t: string }>;
        assert.deepEqual(inThisRealm(stored.map((row) => row.t)), ["2026-03-01 12:00:00.123", "9999-12-31 23:59:59.999"]);
      }
      const [next] = await h.ingest([{ projectId, toNumber: "+4581808888" }]);
      assert.ok(BigInt(next!.messageId) > 5000000000000000000n, next!.messageId);
    });
  });
}
