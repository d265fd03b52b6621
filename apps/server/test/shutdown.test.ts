import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "@jest/globals";
import Database from "better-sqlite3";
import { startServerProcess } from "./support/servers.js";

const ADMIN = "shutdown-test-admin-token-0123456789abcdef";

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe("graceful shutdown", () => {
  for (const delayMs of [0, 2, 10, 40]) {
    it(`an ingest batch in flight when SIGTERM arrives (after ${delayMs} ms) is fully written or fully rejected`, async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "commlog-shutdown-"));
      folders.push(dataDir);
      const { child, url, exited } = await startServerProcess({ COMMLOG_DATA_DIR: dataDir, COMMLOG_ADMIN_TOKEN: ADMIN, DATABASE_URL: "" });
      const headers = { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN}` };
      const project = (await (await fetch(`${url}/internal/v1/projects`, { method: "POST", headers, body: JSON.stringify({ name: "p" }) })).json()) as { _id: string };
      const messages = Array.from({ length: 1000 }, (_, i) => ({ projectId: project._id, toNumber: `+4581${String(i).padStart(6, "0")}`, smsText: "x".repeat(200) }));

      const ingest = fetch(`${url}/internal/v1/sms`, { method: "POST", headers, body: JSON.stringify({ messages }) }).then(
        (response) => response.status,
        () => "connection closed",
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill("SIGTERM");
      const outcome = await ingest;
      assert.equal(await exited, 0, "the server exits cleanly");

      const db = new Database(path.join(dataDir, "commlog.sqlite"), { readonly: true });
      const { n } = db.prepare('SELECT COUNT(*) AS n FROM sms WHERE "projectId" = ?').get(project._id) as { n: number };
      db.close();
      assert.ok(n === 0 || n === 1000, `partial write: ${n} rows`);
      if (outcome === 200) assert.equal(n, 1000, "an acknowledged batch is fully written");
    });
  }
});
