import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";
import { startServerProcess } from "./support/servers.js";

// GET /metrics: Prometheus' text format behind its own Bearer token, scraped after real traffic of
// every dialect; the numbers must be those of the requests made.

const METRICS_TOKEN = "metrics-token-0123456789";

/** The samples of a Prometheus text exposition: `name{labels}` -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) out.set(match[1]!, Number(match[2]));
  }
  return out;
}

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: /metrics`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(engine, { metricsToken: METRICS_TOKEN });
    });
    afterAll(() => h?.close());

    const scrape = async () => {
      const response = await h.http.get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}`);
      assert.equal(response.status, 200);
      assert.match(String(response.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
      return samples(response.text);
    };

    it("refuses a scrape without the metrics token, and API keys are no substitute", async () => {
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ProjectOwner"] });
      for (const authorization of [undefined, "Bearer wrong-token-0123456789", `Bearer ${key}`, `Bearer ${ADMIN_TOKEN}`]) {
        const request = h.http.get("/metrics");
        const response = await (authorization ? request.set("Authorization", authorization) : request);
        assert.equal(response.status, 401, authorization);
        assert.equal(response.body.code, "unauthorized");
      }
    });

    it("counts requests per dialect, operation and status class, times them, and counts ingested SMS", async () => {
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
      const before = await scrape();
      const messages = [1, 2, 3].map((n) => ({ projectId: project._id, toNumber: "+4581808888", providerExternalId: `metrics-${engine.name}-${n}` }));
      await h.ingest(messages);
      await h.ingest(messages.slice(0, 2)); // a replay: two duplicates
      for (let i = 0; i < 2; i++) assert.equal((await h.http.post("/api/sms-log/get-list").set("ApiKey", key).send({})).status, 200);
      assert.equal((await h.http.post("/api/sms-log/get-list").set("ApiKey", "no-such-key").send({})).status, 401);
      assert.equal((await h.http.get("/sms").set("Authorization", `Bearer ${key}`)).status, 200);
      assert.equal((await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${key}`).send({ status: "STATUS_NOPE" })).status, 400);
      const after = await scrape();

      const delta = (sample: string) => (after.get(sample) ?? 0) - (before.get(sample) ?? 0);
      assert.equal(delta('commlog_http_requests_total{dialect="status200",operation="SmsLogs_list",status_class="2xx"}'), 2);
      assert.equal(delta('commlog_http_requests_total{dialect="status200",operation="SmsLogs_list",status_class="4xx"}'), 1);
      assert.equal(delta('commlog_http_requests_total{dialect="telecomx",operation="Sms_list",status_class="2xx"}'), 1);
      assert.equal(delta('commlog_http_requests_total{dialect="exolve",operation="Messages_getCount",status_class="4xx"}'), 1);
      assert.equal(delta('commlog_http_requests_total{dialect="internal",operation="Sms_ingest",status_class="2xx"}'), 2);
      assert.equal(delta('commlog_http_request_duration_seconds_count{dialect="status200",operation="SmsLogs_list"}'), 3);
      assert.ok(delta('commlog_http_request_duration_seconds_sum{dialect="status200",operation="SmsLogs_list"}') > 0);
      assert.equal(delta('commlog_sms_ingested_total{outcome="written"}'), 3);
      assert.equal(delta('commlog_sms_ingested_total{outcome="duplicate"}'), 2);
      assert.ok(after.has("commlog_process_resident_memory_bytes"));
      const pool = after.get("commlog_db_pool_connections");
      if (engine.name === "postgres") assert.ok(pool !== undefined && pool >= 1, `pool connections ${pool}`);
      else assert.equal(pool, 0);
    });
  });
}

describe("the server process", () => {
  it("prints the reference URL at start, and /metrics only when a metrics token is configured", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "commlog-metrics-"));
    const env = { DATABASE_URL: "", COMMLOG_ADMIN_TOKEN: ADMIN_TOKEN };
    const processes: Array<Awaited<ReturnType<typeof startServerProcess>>> = [];
    try {
      const plain = await startServerProcess({ ...env, COMMLOG_DATA_DIR: path.join(dataDir, "plain") });
      processes.push(plain);
      assert.ok(plain.printed.includes(`API reference of every dialect: ${plain.url}/`), plain.printed);
      assert.doesNotMatch(plain.printed, /metrics/i);
      assert.equal((await fetch(`${plain.url}/metrics`)).status, 404);

      const scraped = await startServerProcess({ ...env, COMMLOG_DATA_DIR: path.join(dataDir, "scraped"), COMMLOG_METRICS_TOKEN: METRICS_TOKEN });
      processes.push(scraped);
      assert.ok(scraped.printed.includes(`Prometheus metrics: ${scraped.url}/metrics`), scraped.printed);
      const response = await fetch(`${scraped.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^# HELP commlog_/m);
    } finally {
      for (const { child, exited } of processes) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
