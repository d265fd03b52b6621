import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { pino } from "pino";
import supertest from "supertest";
import { createApp } from "../src/app.js";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: health probes`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(engine);
    });
    afterAll(() => h?.close());

    it("answers /healthz and /readyz without any credentials", async () => {
      assert.deepEqual((await h.http.get("/healthz")).body, { status: "ok" });
      const ready = await h.http.get("/readyz");
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, "ready");
    });

    it("is not ready while a migration is pending", async () => {
      const database = await engine.open({ migrate: false });
      try {
        const app = createApp({ dataSource: database.dataSource, logger: pino({ level: "silent" }), validateResponses: true });
        const response = await supertest(app).get("/readyz");
        assert.equal(response.status, 503);
        assert.equal((await supertest(app).get("/healthz")).status, 200);
      } finally {
        await database.close();
      }
    });
  });
}

describe("request logging", () => {
  let lines: string[];
  let h: Harness;
  beforeAll(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    h = await startHarness(testEngines()[0]!, { logger: pino({ level: "info" }, sink) });
  });
  afterAll(() => h?.close());

  it("echoes a given X-Request-Id and makes one otherwise, one JSON line per request", async () => {
    const given = await h.http.get("/healthz").set("X-Request-Id", "req-123");
    assert.equal(given.headers["x-request-id"], "req-123");
    const made = await h.http.get("/healthz");
    assert.match(made.headers["x-request-id"] ?? "", /^[0-9a-f-]{36}$/);
    const logged = lines.map((line) => JSON.parse(line));
    assert.ok(logged.some((entry) => entry.req?.id === "req-123" && entry.res?.statusCode === 200));
  });

  it("logs an unexpected error with its request id, and answers it without internals", async () => {
    const key = await h.createKey({ projectId: (await h.createProject())._id, permissions: ["ProjectOwner"] });
    // A table gone from under the server: its query fails in a way no error mapping expects.
    await h.dataSource.query(`ALTER TABLE incoming_call_log RENAME TO incoming_call_log_away`);
    try {
      const response = await h.http.post("/api/incoming-call-log/count").set("ApiKey", key).set("X-Request-Id", "req-broken").send({});
      assert.equal(response.status, 500);
      assert.deepEqual(response.body, { error: "internal error", code: "internal_error" });
    } finally {
      await h.dataSource.query(`ALTER TABLE incoming_call_log_away RENAME TO incoming_call_log`);
    }
    const logged = lines.map((line) => JSON.parse(line));
    const failed = logged.find((entry) => entry.msg === "request failed");
    assert.equal(failed?.req?.id, "req-broken");
    assert.match(failed?.err?.message ?? "", /incoming_call_log/);
    assert.ok(logged.some((entry) => entry.msg === "request errored" && entry.req?.id === "req-broken" && entry.res?.statusCode === 500));
  });

  it("never logs keys, the admin token, message text or TelecomX query values", async () => {
    const project = await h.createProject();
    const key = await h.createKey({ projectId: project._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
    const secretText = "top-secret-message-text";
    await h.ingest([{ projectId: project._id, toNumber: "+4581808888", smsText: secretText }]);
    await h.http.post("/api/sms-log/get-list").set("ApiKey", key).send({ query: { smsText: secretText } });
    await h.http.get("/sms?message=needle-in-query&to=%2B4581808888").set("Authorization", `Bearer ${key}`);
    await h.http.post("/api/sms-log/count").set("ApiKey", "clk_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro");
    const all = lines.join("\n");
    for (const secret of [key, key.split("_").slice(2).join("_"), ADMIN_TOKEN, secretText, "needle-in-query", "4581808888", "wrongwrong"]) {
      assert.ok(!all.includes(secret), `the logs contain ${secret}`);
    }
  });
});
