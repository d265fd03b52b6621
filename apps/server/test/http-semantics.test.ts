import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: HTTP semantics shared by the dialects`, () => {
    let h: Harness;
    let key: string;
    let projectId: string;
    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
    });
    afterAll(() => h?.close());

    const list = (body: object) => h.http.post("/api/sms-log/get-list").set("ApiKey", key).send(body);

    it("answers HEAD like GET without a body, but 405 on GET-only write alternatives", async () => {
      const head = await h.http.head("/api/sms-log/get-list").set("ApiKey", key);
      assert.equal(head.status, 200);
      assert.equal(head.text, undefined);
      assert.equal((await h.http.head("/sms").set("Authorization", `Bearer ${key}`)).status, 200);
      const id = "550e8400-e29b-41d4-a716-446655440000";
      assert.equal((await h.http.head(`/api/incoming-call-log-item/${id}/update-item`).set("ApiKey", key)).status, 405);
      assert.equal((await h.http.head(`/api/incoming-call-log-item/${id}/delete-item`).set("ApiKey", key)).status, 405);
    });

    it("marks authenticated responses Cache-Control: no-store", async () => {
      const response = await h.http.post("/api/sms-log/count").set("ApiKey", key).send({});
      assert.equal(response.headers["cache-control"], "no-store");
    });

    it("names the unknown field", async () => {
      const response = await list({ select: { cost: true } });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, { error: "select.cost: unknown field", code: "unknown_field" });
    });

    it("lists the operators a field accepts when the operator does not fit", async () => {
      const response = await list({ query: { status: { _type: "GreaterThan", value: "A" } } });
      assert.equal(response.status, 400);
      assert.match(response.body.error, /^query\.status: does not fit this field; .*EqualTo.*Search/);
      assert.doesNotMatch(response.body.error, /GreaterThan,/);
    });

    it("names the bad value inside an operator", async () => {
      const response = await list({ query: { createdAt: { _type: "GreaterThan", value: "2024-13-45T00:00:00Z" } } });
      assert.equal(response.status, 400);
      assert.match(response.body.error, /^query\.createdAt\.value: must be a timestamp in RFC 3339 with a time zone/);
    });

    it("says groupBy is not supported", async () => {
      assert.deepEqual((await list({ groupBy: { status: true } })).body, { error: "groupBy is not supported", code: "invalid_query" });
      assert.equal((await list({ groupBy: {} })).status, 200);
    });

    it("checks the key before the body: 401 → 405 → 403 → 400", async () => {
      const malformed = (path: string, apiKey?: string) => {
        const request = h.http.post(path).set("Content-Type", "application/json");
        return (apiKey ? request.set("ApiKey", apiKey) : request).send('{"query": ');
      };
      assert.equal((await malformed("/api/sms-log/count")).status, 401);
      assert.equal((await malformed("/api/sms-log", key)).status, 405);
      const reader = await h.createKey({ projectId, permissions: ["ReadSmsLog"] });
      assert.equal((await malformed("/api/incoming-call-log-item", reader)).status, 403);
      assert.equal((await malformed("/api/sms-log/count", key)).status, 400);
      assert.equal((await h.http.post("/api/sms-log/get-list?limit=1000").send({})).status, 401);
    });

    it("takes integer query parameters only as plain decimal integers", async () => {
      for (const value of ["1e3", "0x10", "1e400", "10.0", " 10"]) {
        const status200 = await h.http.post(`/api/sms-log/get-list?skip=${encodeURIComponent(value)}`).set("ApiKey", key).send({});
        assert.equal(status200.status, 400, value);
        assert.match(status200.body.error, /^skip: must be a decimal integer/);
        const telecomx = await h.http.get(`/sms?offset=${encodeURIComponent(value)}`).set("Authorization", `Bearer ${key}`);
        assert.equal(telecomx.status, 400, value);
        assert.equal(telecomx.body.error, "bad_request");
      }
      assert.equal((await h.http.get(`/sms?limit=${"9".repeat(400)}`).set("Authorization", `Bearer ${key}`)).status, 400);
    });

    it("rejects impossible dates everywhere, the internal API included", async () => {
      for (const startedAt of ["2024-13-01T00:00:00Z", "2024-02-30T10:00:00Z"]) {
        const response = await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888", startedAt });
        assert.equal(response.status, 400, startedAt);
      }
      const sms = await h.internal("post", "/internal/v1/sms", { messages: [{ projectId, toNumber: "+4581808888", createdAt: "2023-02-29T00:00:00Z" }] });
      assert.equal(sms.status, 400);
    });

    it("matches text case-insensitively beyond ASCII on both engines", async () => {
      await h.ingest([{ projectId, toNumber: "+4581808888", smsText: "ÆBLEGRØD på Øresund" }]);
      const response = await list({ query: { smsText: { _type: "Search", value: "æblegrød" } }, select: { smsText: true } });
      assert.equal(response.status, 200);
      assert.equal(response.body.count, 1);
    });
  });
}
