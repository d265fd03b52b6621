import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { pino } from "pino";
import { createApp } from "../src/app.js";
import { createDataSource, migrate } from "../src/db/data-source.js";
import { createHttpServer } from "../src/http/server.js";
import { ADMIN_TOKEN } from "./support/harness.js";
import { assertLedgerIntegrity } from "./support/ledger-invariants.js";
import { clusterFolder, clusterOptions, clustersUnavailable, initCluster, pgCtl as clusterCtl, removeClusters } from "./support/postgres-clusters.js";
import { callJson, freePort } from "./support/servers.js";

// A PostgreSQL cluster of the test's own (Debian's binaries, run as the postgres user) is
// restarted while clients write and read through every dialect: every answer is a 200 or a 503 in
// the dialect's format, never a 500, and the server recovers by itself (SPEC §10).

(clustersUnavailable ? describe.skip : describe)("PostgreSQL restarting under load", () => {
  let folder: string;
  let port: number;
  let server: Server;
  let base: string;
  let dataSource: ReturnType<typeof createDataSource>;
  const pgCtl = (...args: string[]) => clusterCtl(folder, "data", ...args);

  beforeAll(async () => {
    folder = clusterFolder("commlog-pg-restart-");
    port = await freePort();
    initCluster(folder, "data");
    pgCtl("-o", clusterOptions(folder, port), "start");
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
    removeClusters(folder, ["data"]);
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
    pgCtl("-m", "fast", "restart", "-o", clusterOptions(folder, port));
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
