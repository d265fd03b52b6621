import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "@jest/globals";
import { createDataSource } from "../src/db/data-source.js";
import { createPostgresDatabase, testEngines } from "./support/databases.js";
import { assertLedgerIntegrity } from "./support/ledger-invariants.js";
import { startServerProcess } from "./support/servers.js";

// The real server process is killed (SIGKILL: no shutdown, no cleanup) while many clients ingest
// and send webhooks; after a restart on the same database the ledger keeps every invariant
// (SPEC §10: maintained counts equal COUNT(*) after a crash at any point; batches all or nothing).

const ADMIN = "crash-test-admin-token-0123456789abcdef0123";
const BATCH = 100;

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A private database for the server process: a SQLite folder, or a fresh PostgreSQL database. */
async function database(engine: "sqlite" | "postgres"): Promise<{ env: Record<string, string>; url?: string; sqlitePath?: string }> {
  if (engine === "sqlite") {
    const dataDir = mkdtempSync(path.join(tmpdir(), "commlog-crash-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    return { env: { COMMLOG_DATA_DIR: dataDir, DATABASE_URL: "" }, sqlitePath: path.join(dataDir, "commlog.sqlite") };
  }
  const { url, drop } = await createPostgresDatabase("commlog_crash");
  cleanups.push(drop);
  return { env: { DATABASE_URL: url }, url };
}

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: a server killed mid-ingest`, () => {
    it("restarts into a ledger whose counts equal COUNT(*), with every batch whole or absent", async () => {
      const db = await database(engine.name);
      let server = await startServerProcess({ COMMLOG_ADMIN_TOKEN: ADMIN, LOG_LEVEL: "fatal", ...db.env });
      const headers = { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN}` };
      const post = (url: string, path: string, body: object) =>
        fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) }).then(
          async (response) => ({ status: response.status, body: (await response.json()) as any }),
          () => ({ status: 0, body: undefined }),
        );
      const projectId = (await post(server.url, "/internal/v1/projects", { name: "crash" })).body._id as string;

      const batchOf = (b: number) => Array.from({ length: BATCH }, (_, i) => ({ projectId, toNumber: `+4540${String(i).padStart(6, "0")}`, providerExternalId: `b${b}-${i}`, status: "Sent" }));
      const acknowledged = new Set<number>();
      let killed = false;
      let next = 0;
      const client = async () => {
        while (!killed) {
          const b = next++;
          const answer = await post(server.url, "/internal/v1/sms", { messages: batchOf(b) });
          if (answer.status === 200) {
            acknowledged.add(b);
            // A webhook for one of its messages, and a replay of an earlier batch.
            void post(server.url, "/internal/v1/sms/status", { projectId, providerExternalId: `b${b}-0`, deliveryStatus: "delivered" });
            void post(server.url, "/internal/v1/sms", { messages: batchOf(Math.floor(b / 2)) });
          } else if (!killed) assert.fail(`batch ${b} answered ${answer.status} before the kill`);
        }
      };
      const clients = Array.from({ length: 6 }, client);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      killed = true;
      server.child.kill("SIGKILL");
      await Promise.all(clients);
      assert.ok(acknowledged.size > 0, "some batches were written before the kill");

      // Restart on the same database (its start-up runs the migrations, which must be idempotent).
      server = await startServerProcess({ COMMLOG_ADMIN_TOKEN: ADMIN, LOG_LEVEL: "fatal", ...db.env });
      cleanups.push(() => void server.child.kill("SIGKILL"));
      const dataSource = createDataSource(db.url, { sqlitePath: db.sqlitePath });
      await dataSource.initialize();
      try {
        await assertLedgerIntegrity(dataSource);
        const p = dataSource.driver.createParameter("p0", 0);
        const perBatch = (await dataSource.query(`SELECT "providerExternalId" AS k FROM sms WHERE "projectId" = ${p}`, [projectId])) as Array<{ k: string }>;
        const sizes = new Map<number, number>();
        for (const { k } of perBatch) sizes.set(Number(k.slice(1, k.indexOf("-"))), (sizes.get(Number(k.slice(1, k.indexOf("-")))) ?? 0) + 1);
        for (const [b, n] of sizes) assert.equal(n, BATCH, `batch ${b} is whole`);
        for (const b of acknowledged) assert.equal(sizes.get(b), BATCH, `acknowledged batch ${b} is stored`);
      } finally {
        await dataSource.destroy();
      }
      // The restarted server goes on: a replay of an acknowledged batch is all duplicates.
      const replay = await post(server.url, "/internal/v1/sms", { messages: batchOf([...acknowledged][0]!) });
      assert.equal(replay.status, 200);
      assert.ok(replay.body.data.every((result: { duplicate: boolean }) => result.duplicate));
      server.child.kill("SIGKILL");
    });
  });
}
