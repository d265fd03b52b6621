import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import pg from "pg";
import { pino } from "pino";
import { createApp } from "../src/app.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { createDataSource, migrate } from "../src/db/data-source.js";
import { createReplicaSet, type ReplicaSet } from "../src/db/replicas.js";
import { createHttpServer } from "../src/http/server.js";
import { ADMIN_TOKEN } from "./support/harness.js";
import { asPostgres, clusterFolder, clusterOptions, clustersUnavailable, initCluster, pgCtl as clusterCtl, removeClusters } from "./support/postgres-clusters.js";
import { callJson, freePort } from "./support/servers.js";

// A real streaming replica (initdb a primary with wal_level=replica, pg_basebackup -R a standby of
// it, Debian's binaries run as the postgres user) behind DATABASE_REPLICA_URLS' routing: the public
// dialects' reads are served by the standby (its own statement log says so), a standby that lags
// past the bound or is stopped is skipped without clients noticing, and it is used again once back.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("DATABASE_REPLICA_URLS configuration", () => {
  const base = { DATABASE_URL: "postgres://postgres@db/commlog" };
  it("parses a comma-separated list with the lag bound and check interval", () => {
    const config = loadConfig({ ...base, DATABASE_REPLICA_URLS: " postgres://r1/commlog, postgresql://u:p@r2:5433/commlog ,", COMMLOG_REPLICA_MAX_LAG_MS: "500" });
    assert.deepEqual(config.replicaUrls, ["postgres://r1/commlog", "postgresql://u:p@r2:5433/commlog"]);
    assert.equal(config.replicaMaxLagMs, 500);
    assert.equal(config.replicaCheckMs, 250);
    assert.deepEqual(loadConfig(base).replicaUrls, []);
    assert.equal(loadConfig(base).replicaMaxLagMs, 1000);
  });
  it("rejects a bad URL without echoing it (it may hold a password), a replica without a primary, and a bad bound", () => {
    assert.throws(() => loadConfig({ ...base, DATABASE_REPLICA_URLS: "postgres://r1/db,mysql://u:secret@r2/db" }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /DATABASE_REPLICA_URLS: entry 2 is not a postgres/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
    assert.throws(() => loadConfig({ ...base, DATABASE_REPLICA_URLS: "not a url" }), /entry 1 is not a postgres/);
    assert.throws(() => loadConfig({ DATABASE_REPLICA_URLS: "postgres://r1/db" }), /needs DATABASE_URL/);
    assert.throws(() => loadConfig({ ...base, COMMLOG_REPLICA_MAX_LAG_MS: "-5" }), /COMMLOG_REPLICA_MAX_LAG_MS must be a positive integer/);
  });
});

(clustersUnavailable ? describe.skip : describe)("a streaming read replica", () => {
  let folder: string;
  let primaryPort: number;
  let replicaPort: number;
  let server: Server;
  let base: string;
  let dataSource: ReturnType<typeof createDataSource>;
  let replicas: ReplicaSet;
  const dir = (name: string) => path.join(folder, name);
  const pgCtl = (name: "primary" | "replica", ...args: string[]) => clusterCtl(folder, name, ...args);
  // log_statement=all: each cluster's own log shows which one ran a statement.
  const options = (port: number) => `${clusterOptions(folder, port)} -c log_statement=all`;
  const startReplica = () => pgCtl("replica", "-o", options(replicaPort), "start");
  /** Statements a cluster logged that read a tenant table of the ledger. */
  const tenantStatements = (name: "primary" | "replica") =>
    readFileSync(dir(`${name}.log`), "utf8")
      .split("\n")
      .filter((line) => /LOG:\s+(statement|execute [^:]*):/.test(line) && /\b(FROM|JOIN)\s+"?(sms|sms_daily_count|incoming_call_log|incoming_call_log_item)\b/i.test(line)).length;
  const onReplica = async (sql: string) => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${replicaPort}/postgres` });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  /** Runs the routing's check until the replica's state is as wanted (the background timer runs too). */
  const until = async (healthy: boolean, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      await replicas.check();
      if (replicas.states()[0]!.healthy === healthy) return;
      await sleep(50);
    }
    assert.fail(`replica not ${healthy ? "healthy" : "skipped"} within ${withinMs} ms: ${JSON.stringify(replicas.states())}`);
  };

  beforeAll(async () => {
    folder = clusterFolder("commlog-replica-");
    [primaryPort, replicaPort] = [await freePort(), await freePort()];
    initCluster(folder, "primary");
    pgCtl("primary", "-o", `${options(primaryPort)} -c wal_level=replica -c max_wal_senders=4`, "start");
    asPostgres("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", dir("replica"), "-R", "-X", "stream", "--no-sync"]);
    startReplica();

    dataSource = createDataSource(`postgres://postgres@127.0.0.1:${primaryPort}/postgres`);
    await dataSource.initialize();
    await migrate(dataSource);
    replicas = createReplicaSet(dataSource, [`postgres://postgres@127.0.0.1:${replicaPort}/postgres`], {
      maxLagMs: 1000,
      intervalMs: 200,
      connect: (url) => createDataSource(url, { poolSize: 5, connectTimeoutMS: 1000 }),
    });
    await replicas.start();
    const app = createApp({ dataSource, reads: replicas.reads, logger: pino({ level: "silent" }), adminToken: ADMIN_TOKEN, validateResponses: true });
    server = createHttpServer(app).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await replicas?.stop();
    if (dataSource?.isInitialized) await dataSource.destroy();
    removeClusters(folder, ["replica", "primary"]);
  });

  const call = (method: string, path: string, headers: Record<string, string>, body?: object) => callJson(base, method, path, headers, body);
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  it("serves the public reads from the replica, skips it while it lags or is down, and uses it again when it is back", async () => {
    const projectId = (await call("POST", "/internal/v1/projects", admin, { name: "replicated" })).body._id as string;
    const key = (await call("POST", "/internal/v1/api-keys", admin, { name: "k", projectId, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).body.key as string;
    const ingest = (from: number, n: number) =>
      call("POST", "/internal/v1/sms", admin, {
        messages: Array.from({ length: n }, (_, i) => ({
          projectId,
          toNumber: "+4581808888",
          providerExternalId: `m${from + i}`,
          status: "Sent",
          createdAt: new Date(Date.UTC(2026, 9, 1) + (from + i) * 60_000).toISOString(),
        })),
      });
    assert.equal((await ingest(0, 60)).status, 200);
    const callLog = await call("POST", "/internal/v1/incoming-call-logs", admin, { projectId, callerPhoneNumber: "+4581808888" });
    assert.equal(callLog.status, 200, JSON.stringify(callLog.body));
    const firstId = (await call("POST", "/api/sms-log/get-list", { ApiKey: key }, { query: {}, sort: { createdAt: -1 }, limit: 1 })).body.data[0]._id as string;

    // Every read-only operation of the public dialects, answers compared as JSON.
    const reads = [
      () => call("POST", "/api/sms-log/get-list", { ApiKey: key }, { select: { status: true, toNumber: true, createdAt: true }, sort: { createdAt: -1 }, limit: 20 }),
      () => call("POST", "/api/sms-log/count", { ApiKey: key }, { query: { status: "Sent" } }),
      () => call("POST", `/api/sms-log/${firstId}/get-item`, { ApiKey: key }, { select: { status: true } }),
      () => call("POST", "/api/incoming-call-log/get-list", { ApiKey: key }, { select: { callerPhoneNumber: true } }),
      () => call("POST", "/api/incoming-call-log-item/count", { ApiKey: key }, {}),
      () => call("GET", "/sms?limit=20", { Authorization: `Bearer ${key}` }),
      () => call("POST", "/messaging/v1/GetCount", { Authorization: `Bearer ${key}` }, { direction: "DIRECTION_OUTGOING" }),
    ];
    const readAll = async () => {
      const answers = [];
      for (const read of reads) answers.push(await read());
      for (const answer of answers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return JSON.stringify(answers.map((a) => a.body));
    };
    await until(true, 10_000);

    // 1. The replica serves them: its log gains the tenant-table statements, the primary's none
    //    (the primary still authenticates the keys, from api_key).
    let [onPrimary, onStandby] = [tenantStatements("primary"), tenantStatements("replica")];
    const fromReplica = await readAll();
    assert.equal(tenantStatements("primary"), onPrimary, "no tenant-table read ran on the primary");
    assert.ok(tenantStatements("replica") >= onStandby + reads.length, `the replica ran the reads (${tenantStatements("replica") - onStandby} statements)`);
    assert.match(fromReplica, /"count":"60"|"count":60/);
    assert.ok(replicas.states()[0]!.served >= reads.length);

    // 2. An idle primary writes no WAL: the caught-up replica stays within the bound (a lag taken
    //    from pg_last_xact_replay_timestamp() alone would grow here with the idle time).
    await sleep(1500);
    await replicas.check();
    assert.equal(replicas.states()[0]!.healthy, true, JSON.stringify(replicas.states()));
    assert.ok(replicas.states()[0]!.lagMs! < 1000, `lag of an idle pair: ${replicas.states()[0]!.lagMs} ms`);

    // 3. Replay paused: the replica falls behind the writes and is skipped once past the bound;
    //    the reads see the new messages at once, from the primary.
    await onReplica("SELECT pg_wal_replay_pause()");
    assert.equal((await ingest(60, 40)).status, 200);
    await until(false, 5000);
    assert.match(replicas.states()[0]!.reason ?? "", /lagging/);
    onPrimary = tenantStatements("primary");
    const afterWrites = await readAll();
    assert.match(afterWrites, /"count":"100"|"count":100/);
    assert.ok(tenantStatements("primary") >= onPrimary + reads.length, "the primary answered while the replica lagged");
    await onReplica("SELECT pg_wal_replay_resume()");
    await until(true, 10_000);
    assert.equal(await readAll(), afterWrites, "the caught-up replica gives the same answers");

    // 4. The replica stops under load: every answer is still a 200 with the same body.
    const answers: string[] = [];
    let stop = false;
    const client = async (c: number) => {
      for (let n = c; !stop; n++) {
        const answer = await reads[n % reads.length]!();
        answers.push(`${n % reads.length} ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    };
    const clients = Array.from({ length: 4 }, (_, c) => client(c));
    await sleep(300);
    pgCtl("replica", "-m", "fast", "stop");
    await sleep(800);
    stop = true;
    await Promise.all(clients);
    const expected = JSON.parse(afterWrites) as unknown[];
    for (const answer of answers) {
      const [i, status, ...body] = answer.split(" ");
      assert.equal(status, "200", answer.slice(0, 500));
      assert.equal(body.join(" "), JSON.stringify(expected[Number(i)]), `read ${i} answers the same with the replica down`);
    }
    assert.ok(answers.length > reads.length * 2, `clients kept reading (${answers.length} answers)`);
    await until(false, 2000);
    onPrimary = tenantStatements("primary");
    assert.equal(await readAll(), afterWrites);
    assert.ok(tenantStatements("primary") > onPrimary, "the primary serves the reads");

    // 5. Back: used again after a check.
    startReplica();
    await until(true, 10_000);
    onStandby = tenantStatements("replica");
    assert.equal(await readAll(), afterWrites);
    assert.ok(tenantStatements("replica") >= onStandby + reads.length, "the returned replica serves the reads again");
  });
});
