import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { migrate } from "../src/db/data-source.js";
import { ensureSmsPartitions, partitionName } from "../src/db/partitions.js";
import { applyRetention } from "../src/db/retention.js";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";
import { assertLedgerIntegrity } from "./support/ledger-invariants.js";

// The ledger past one machine's lifetime (issue "Past one machine"): on PostgreSQL `sms` is
// partitioned by month with partitions kept ahead; uniqueness holds across partitions; retention
// removes whole months with their rollups and claims, and every maintained count stays exact.

const month = (offset: number, day = 15) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, day, 12));
};

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: monthly partitions and retention`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(engine);
    });
    afterAll(() => h?.close());

    const p = (i: number) => h.dataSource.driver.createParameter(`p${i}`, i);
    const rowsOf = async (projectId: string) =>
      Number(((await h.dataSource.query(`SELECT COUNT(*) AS n FROM sms WHERE "projectId" = ${p(0)}`, [projectId])) as Array<{ n: number }>)[0]!.n);
    const partitions = async () =>
      ((await h.dataSource.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class t ON t.oid = i.inhparent WHERE t.relname = 'sms' AND t.relnamespace = c.relnamespace AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
      )) as Array<{ name: string }>).map((row) => row.name);
    const partitionOf = async (id: string) => ((await h.dataSource.query(`SELECT tableoid::regclass::text AS name FROM sms WHERE "_id" = $1`, [id])) as Array<{ name: string }>)[0]?.name;

    if (engine.name === "postgres") {
      it("partitions sms by month, keeps last month to three months ahead ready, and routes rows by createdAt", async () => {
        const names = await partitions();
        for (const offset of [-1, 0, 1, 2, 3]) assert.ok(names.includes(partitionName(month(offset, 1))), `${partitionName(month(offset, 1))} in ${names}`);
        assert.ok(names.includes("sms_default"));
        const projectId = (await h.createProject())._id;
        const [current, old] = await h.ingest([
          { projectId, toNumber: "+4581808888", createdAt: month(0).toISOString() },
          { projectId, toNumber: "+4581808888", createdAt: "2019-05-05T05:05:05Z" },
        ]);
        assert.equal(await partitionOf(current!._id), partitionName(month(0, 1)));
        assert.equal(await partitionOf(old!._id), "sms_default");
      });

      it("creates the coming months' partitions, leaving a month whose rows already sit in the default partition alone", async () => {
        const projectId = (await h.createProject())._id;
        const [early] = await h.ingest([{ projectId, toNumber: "+4581808888", createdAt: month(8).toISOString() }]);
        const created = await ensureSmsPartitions(h.dataSource, month(6));
        // Seen from six months ahead: its last month to three months on, but for the occupied month 8.
        assert.deepEqual(created, [5, 6, 7, 9].map((offset) => partitionName(month(offset, 1))));
        assert.ok(!(await partitions()).includes(partitionName(month(8, 1))), "the occupied month stays in the default partition");
        assert.equal(await partitionOf(early!._id), "sms_default");
        assert.deepEqual(await ensureSmsPartitions(h.dataSource, month(6)), [], "a second run creates nothing");
      });
    }

    it("keeps idempotency keys and message ids unique across months", async () => {
      const projectId = (await h.createProject())._id;
      const [first] = await h.ingest([{ projectId, toNumber: "+4581808888", providerExternalId: "across", createdAt: month(-2).toISOString(), messageId: "31337" }]);
      const [replay] = await h.ingest([{ projectId, toNumber: "+4581808888", providerExternalId: "across", createdAt: month(0).toISOString() }]);
      assert.deepEqual(replay, { ...first, duplicate: true });
      const reused = await h.internal("post", "/internal/v1/sms", { messages: [{ projectId, toNumber: "+4581808888", createdAt: month(1).toISOString(), messageId: "31337" }] });
      assert.equal(reused.status, 409);
      assert.equal(await rowsOf(projectId), 1);
    });

    it("retention removes whole months older than the limit with their rollups and claims; totals stay exact", async () => {
      const projectId = (await h.createProject())._id;
      const key = await h.createKey({ projectId, permissions: ["ReadSmsLog"], accessLevel: "OWNER" });
      const messages = Array.from({ length: 60 }, (_, i) => ({
        projectId,
        toNumber: `+4586${String(i).padStart(6, "0")}`,
        providerExternalId: `kept-or-not-${i}`,
        status: ["Delivered", "Sent", "Failed"][i % 3],
        createdAt: month(-(i % 12)).toISOString(),
      }));
      // Partitions for the whole past year (as a server running through it would have made them).
      if (engine.name === "postgres") for (const offset of [-11, -7, -3]) await ensureSmsPartitions(h.dataSource, month(offset));
      await h.ingest(messages);
      const result = await applyRetention(h.dataSource, 6);
      const cutoff = new Date(result.cutoff);
      assert.equal(cutoff.getTime(), Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 6, 1));
      const kept = messages.filter((m) => new Date(m.createdAt) >= cutoff).length;
      assert.equal(await rowsOf(projectId), kept);
      if (engine.name === "postgres") {
        assert.deepEqual(result.droppedPartitions.sort(), [-12, -11, -10, -9, -8, -7].map((offset) => partitionName(month(offset, 1))));
        assert.ok(!(await partitions()).some((name) => /^sms_p\d{6}$/.test(name) && name < partitionName(cutoff)), "no partition before the cutoff is left");
      }
      await assertLedgerIntegrity(h.dataSource);
      const count = await h.http.post("/api/sms-log/count").set("ApiKey", key).send({});
      assert.equal(count.body.count, kept);
      // A removed message's key is free again: a late replay records it anew.
      const gone = messages.find((m) => new Date(m.createdAt) < cutoff)!;
      const [again] = await h.ingest([gone]);
      assert.equal(again!.duplicate, false);
      await assertLedgerIntegrity(h.dataSource);
    });

    it("its migration converts an existing database and back, keeping every row", async () => {
      const projectId = (await h.createProject())._id;
      await h.ingest(Array.from({ length: 20 }, (_, i) => ({ projectId, toNumber: "+4581808888", providerExternalId: `convert-${i}`, createdAt: month(-i).toISOString() })));
      const before = await rowsOf(projectId);
      await h.dataSource.undoLastMigration();
      assert.equal(await rowsOf(projectId), before);
      assert.deepEqual(await migrate(h.dataSource), ["SmsPartitionsAndClaims1795800000000"]);
      assert.equal(await rowsOf(projectId), before);
      if (engine.name === "postgres") {
        const [{ relkind }] = (await h.dataSource.query(`SELECT relkind FROM pg_class WHERE relname = 'sms' AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`)) as [{ relkind: string }];
        assert.equal(relkind, "p");
      }
      // Replays after the conversion are still recognised.
      const replay = await h.ingest([{ projectId, toNumber: "+4581808888", providerExternalId: "convert-3" }]);
      assert.equal(replay[0]!.duplicate, true);
      await assertLedgerIntegrity(h.dataSource);
    });
  });
}
