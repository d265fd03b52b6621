import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { pino } from "pino";
import { createApp } from "../src/app.js";
import { createDataSource, migrate } from "../src/db/data-source.js";
import { createHttpServer } from "../src/http/server.js";
import { ADMIN_TOKEN } from "./support/harness.js";
import { assertLedgerIntegrity } from "./support/ledger-invariants.js";
import { callJson } from "./support/servers.js";

// A PostgreSQL cluster of the test's own (Debian's binaries, run as the postgres user) is
// restarted while clients write and read through every dialect: every answer is a 200 or a 503 in
// the dialect's format, never a 500, and the server recovers by itself (SPEC §10).

const BIN = "/usr/lib/postgresql/15/bin";
const canRun = process.getuid?.() === 0 && existsSync(`${BIN}/initdb`);
const required = process.env.CI === "true";

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const asPostgres = (command: string, args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", `${BIN}/${command}`, ...args], { stdio: "pipe" });

const skip = canRun || required ? undefined : "needs root and Debian's PostgreSQL 15 binaries";

(skip ? describe.skip : describe)("PostgreSQL restarting under load", () => {
  let folder: string;
  let port: number;
  let server: Server;
  let base: string;
  let dataSource: ReturnType<typeof createDataSource>;
  const pgCtl = (...args: string[]) => asPostgres("pg_ctl", ["-D", path.join(folder, "data"), "-w", "-l", path.join(folder, "log"), ...args]);

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), "commlog-pg-restart-"));
    chownSync(folder, Number(execFileSync("id", ["-u", "postgres"]).toString()), Number(execFileSync("id", ["-g", "postgres"]).toString()));
    port = await freePort();
    asPostgres("initdb", ["-D", path.join(folder, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
    pgCtl("-o", `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`, "start");
    dataSource = createDataSource(`postgres://postgres@127.0.0.1:${port}/postgres`);
    await dataSource.initialize();
    await migrate(dataSource);
    server = createHttpServer(createApp({ dataSource, logger: pino({ level: process.env.DEBUG_RESTART ? "error" : "silent" }), adminToken: ADMIN_TOKEN, validateResponses: true })).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dataSource?.isInitialized) await dataSource.destroy();
    try {
      pgCtl("-m", "immediate", "stop");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  const call = (method: string, path: string, headers: Record<string, string>, body?: object) => callJson(base, method, path, headers, body);
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  it("answers every request 200 or 503 across a restart, then recovers", async () => {
    const projectId = (await call("POST", "/internal/v1/projects", admin, { name: "restart" })).body._id as string;
    const key = (await call("POST", "/internal/v1/api-keys", admin, { name: "k", projectId, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).body.key as string;
    const requests = [
      (n: number) => call("POST", "/internal/v1/sms", admin, { messages: Array.from({ length: 50 }, (_, i) => ({ projectId, toNumber: "+4581808888", providerExternalId: `r${n % 40}-${i}`, status: "Sent" })) }),
      (n: number) => call("POST", "/internal/v1/sms/status", admin, { projectId, providerExternalId: `r${n % 40}-0`, toNumber: "+4581808888", deliveryStatus: "delivered" }),
      () => call("POST", "/api/sms-log/get-list", { ApiKey: key }, { query: { status: "Sent" } }),
      () => call("GET", "/sms", { Authorization: `Bearer ${key}` }),
      () => call("POST", "/messaging/v1/GetCount", { Authorization: `Bearer ${key}` }, {}),
    ];
    const answers: Array<{ status: number; body: any }> = [];
    let stop = false;
    const client = async (c: number) => {
      for (let n = c; !stop; n += 8) answers.push(await requests[n % requests.length]!(n));
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await new Promise((resolve) => setTimeout(resolve, 500));
    pgCtl("-m", "fast", "restart", "-o", `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop = true;
    await Promise.all(clients);

    const statuses = [...new Set(answers.map((a) => a.status))].sort();
    // 404: a webhook for a message not yet ingested.
    assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 503 && s !== 404), [], JSON.stringify(answers.find((a) => a.status !== 200 && a.status !== 503)));
    for (const answer of answers.filter((a) => a.status === 503)) assert.ok(answer.body && typeof answer.body === "object", "503 in the dialect's error format");

    // Recovered: within a few seconds every dialect answers 200 again.
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      const results = [];
      for (const request of requests) results.push(await request(1000));
      recovered = results.every((r) => r.status === 200);
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(recovered, "the server recovers by itself");
    await assertLedgerIntegrity(dataSource);
  });
});
