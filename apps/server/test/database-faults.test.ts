import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import pg from "pg";
import { pino } from "pino";
import supertest from "supertest";
import type { DataSource } from "typeorm";
import { createApp } from "../src/app.js";
import { createDataSource, migrate } from "../src/db/data-source.js";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN } from "./support/harness.js";

const postgres = testEngines().find((engine) => engine.name === "postgres")!;
const target = new URL(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test");

/** A TCP proxy in front of PostgreSQL that the test can cut (every connection dropped, new ones refused) and restore. */
class CuttableProxy {
  private server = net.createServer((client) => this.accept(client));
  private sockets = new Set<net.Socket>();
  private cut = false;
  port = 0;

  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  private accept(client: net.Socket) {
    if (this.cut) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  }
  sever() {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }
  restore() {
    this.cut = false;
  }
  close() {
    this.sever();
    this.server.close();
  }
}

(postgres.skip ? describe.skip : describe)("PostgreSQL outages", () => {
  const schema = `commlog_fault_${randomBytes(6).toString("hex")}`;
  const proxy = new CuttableProxy();
  let dataSource: DataSource;
  let http: ReturnType<typeof supertest>;
  let key: string;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: target.href });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    await proxy.listen();
    const url = new URL(target.href);
    url.host = `127.0.0.1:${proxy.port}`;
    dataSource = createDataSource(url.href, { postgresSchema: schema });
    await dataSource.initialize();
    await migrate(dataSource);
    http = supertest(createApp({ dataSource, logger: pino({ level: process.env.DEBUG_LOG ? "error" : "silent" }), adminToken: ADMIN_TOKEN, validateResponses: true }));
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const project = (await http.post("/internal/v1/projects").set(auth).send({ name: "p" })).body;
    key = (await http.post("/internal/v1/api-keys").set(auth).send({ name: "k", projectId: project._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).body.key;
  });
  afterAll(async () => {
    proxy.close();
    await dataSource?.destroy().catch(() => undefined);
    const admin = new pg.Client({ connectionString: target.href });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("answers 503 in each dialect's error format while the database is unreachable, then recovers by itself", async () => {
    assert.equal((await http.get("/readyz")).status, 200);
    proxy.sever();

    const started = Date.now();
    const status200 = await http.post("/api/sms-log/count").set("ApiKey", key).send({});
    assert.equal(status200.status, 503);
    assert.equal(typeof status200.body.error, "string");
    const telecomx = await http.get("/sms").set("Authorization", `Bearer ${key}`);
    assert.equal(telecomx.status, 503);
    assert.equal(telecomx.body.error, "internal_error");
    const exolve = await http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${key}`).send({});
    assert.equal(exolve.status, 503);
    assert.equal(exolve.body.code, 503);
    const internal = await http.post("/internal/v1/projects").set("Authorization", `Bearer ${ADMIN_TOKEN}`).send({ name: "q" });
    assert.equal(internal.status, 503);
    assert.equal((await http.get("/readyz")).status, 503);
    assert.equal((await http.get("/healthz")).status, 200);
    assert.ok(Date.now() - started < 30_000, "failures are prompt, not hangs");

    proxy.restore();
    let recovered = false;
    for (let attempt = 0; attempt < 20 && !recovered; attempt++) {
      recovered = (await http.post("/api/sms-log/count").set("ApiKey", key).send({})).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(recovered, "requests succeed again once the database is back");
    assert.equal((await http.get("/readyz")).status, 200);
  });
});
