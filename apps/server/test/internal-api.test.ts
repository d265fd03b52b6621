import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: internal API`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(engine);
    });
    afterAll(() => h?.close());

    it("rejects a missing or wrong admin token with 401 in the internal error body", async () => {
      const missing = await h.http.post("/internal/v1/projects").send({ name: "x" });
      assert.equal(missing.status, 401);
      assert.equal(typeof missing.body.error, "string");
      assert.equal(missing.body.code, "unauthorized");
      const wrong = await h.http.post("/internal/v1/projects").set("Authorization", `Bearer ${ADMIN_TOKEN}x`).send({ name: "x" });
      assert.equal(wrong.status, 401);
    });

    it("creates a reseller with its own project, and projects under it", async () => {
      const reseller = await h.createReseller("acme");
      assert.match(reseller.projectId, /^[0-9a-f-]{36}$/);
      const project = await h.createProject({ resellerId: reseller._id });
      const response = await h.internal("post", "/internal/v1/projects", { name: "child", resellerId: reseller._id });
      assert.equal(response.body.resellerId, reseller._id);
      assert.ok(project._id);
    });

    it("shows a key's secret once, lists keys without secrets, and revokes", async () => {
      const project = await h.createProject();
      const created = await h.internal("post", "/internal/v1/api-keys", { name: "k", projectId: project._id, permissions: ["ReadSmsLog"], accessLevel: "OWNER" });
      assert.equal(created.status, 200);
      assert.match(created.body.key, /^clk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      const listed = await h.internal("get", `/internal/v1/api-keys?projectId=${project._id}`);
      assert.equal(listed.body.data.length, 1);
      assert.equal(listed.body.data[0].key, undefined);
      assert.deepEqual(listed.body.data[0].permissions, ["ReadSmsLog"]);

      const before = await h.http.post("/api/sms-log/count").set("ApiKey", created.body.key).send({});
      assert.equal(before.status, 200);
      const revoked = await h.internal("delete", `/internal/v1/api-keys/${created.body._id}`);
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revokedAt);
      const afterRevoke = await h.http.post("/api/sms-log/count").set("ApiKey", created.body.key).send({});
      assert.equal(afterRevoke.status, 401);
    });

    it("rejects grants that do not fit the key's scope", async () => {
      const project = await h.createProject();
      const reseller = await h.createReseller();
      const cases = [
        { projectId: project._id, accessLevel: "ADMIN" },
        { resellerId: reseller._id, permissions: ["ProjectOwner"] },
        { platform: true, accessLevel: "VIEWER" },
        { projectId: project._id, resellerId: reseller._id },
        {},
      ];
      for (const body of cases) {
        const response = await h.internal("post", "/internal/v1/api-keys", { name: "bad", ...body });
        assert.equal(response.status, 400, JSON.stringify(body));
      }
    });

    it("rejects an expired key", async () => {
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ReadSmsLog"], expiresAt: new Date(Date.now() + 300).toISOString() });
      assert.equal((await h.http.post("/api/sms-log/count").set("ApiKey", key).send({})).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal((await h.http.post("/api/sms-log/count").set("ApiKey", key).send({})).status, 401);
    });

    it("refuses a key whose expiresAt lies in the past: 400, no key made", async () => {
      const project = await h.createProject();
      const response = await h.internal("post", "/internal/v1/api-keys", { name: "late", projectId: project._id, permissions: ["ReadSmsLog"], expiresAt: new Date(Date.now() - 1000).toISOString() });
      assert.equal(response.status, 400);
      assert.match(response.body.error, /^expiresAt: must lie in the future/);
      assert.equal((await h.internal("get", `/internal/v1/api-keys?projectId=${project._id}`)).body.data.length, 0);
    });

    it("ingests a batch all or nothing: one invalid message writes nothing", async () => {
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ReadSmsLog"] });
      const response = await h.internal("post", "/internal/v1/sms", {
        messages: [
          { projectId: project._id, toNumber: "+4581808888", status: "Delivered" },
          { projectId: project._id, toNumber: "+4581808888", deliveryStatus: "delivered", status: "Failed" },
        ],
      });
      assert.equal(response.status, 400);
      assert.match(response.body.error, /messages\[1\]/);
      const count = await h.http.post("/api/sms-log/count").set("ApiKey", key).send({});
      assert.equal(count.body.count, 0);

      const unknownProject = await h.internal("post", "/internal/v1/sms", {
        messages: [{ projectId: project._id, toNumber: "+4581808888" }, { projectId: "00000000-0000-0000-0000-000000000000", toNumber: "+4581808888" }],
      });
      assert.equal(unknownProject.status, 400);
      assert.equal((await h.http.post("/api/sms-log/count").set("ApiKey", key).send({})).body.count, 0);
    });

    it("replaying a batch creates no duplicates and returns the first ids", async () => {
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ReadSmsLog"] });
      const batch = [
        { projectId: project._id, toNumber: "+45 81 80 88 88", providerExternalId: "p-1" },
        { projectId: project._id, toNumber: "+4581808889", providerExternalId: "p-1" },
        { projectId: project._id, toNumber: "4581808888", providerExternalId: "p-1" },
      ];
      const first = await h.ingest(batch);
      assert.deepEqual(first.map((r) => r.duplicate), [false, false, true]);
      assert.equal(first[2]!._id, first[0]!._id);
      const replay = await h.ingest(batch);
      assert.deepEqual(replay.map((r) => r.duplicate), [true, true, true]);
      assert.deepEqual(replay.map((r) => r._id), first.map((r) => r._id));
      const [concurrentA, concurrentB] = await Promise.all([h.ingest(batch), h.ingest(batch)]);
      assert.deepEqual(concurrentA!.map((r) => r._id), first.map((r) => r._id));
      assert.deepEqual(concurrentB!.map((r) => r._id), first.map((r) => r._id));
      const count = await h.http.post("/api/sms-log/count").set("ApiKey", key).send({});
      assert.equal(count.body.count, 2);
    });

    it("accepts a batch of 1000 and rejects 1001", async () => {
      const project = await h.createProject();
      const messages = Array.from({ length: 1000 }, (_, i) => ({ projectId: project._id, toNumber: `+45818${String(i).padStart(5, "0")}`, smsText: `hello ${i}` }));
      const results = await h.ingest(messages);
      assert.equal(results.length, 1000);
      assert.equal(new Set(results.map((r) => r.messageId)).size, 1000);
      const tooMany = await h.internal("post", "/internal/v1/sms", { messages: [...messages, messages[0]] });
      assert.equal(tooMany.status, 400);
    });

    it("updates delivery status forward only, by _id or by provider id, never across tenants", async () => {
      const project = await h.createProject();
      const other = await h.createProject();
      const [sms] = await h.ingest([{ projectId: project._id, toNumber: "+4581808888", providerExternalId: "smsc-7" }]);
      const delivered = await h.internal("post", "/internal/v1/sms/status", { projectId: project._id, providerExternalId: "smsc-7", deliveryStatus: "delivered" });
      assert.equal(delivered.status, 200);
      assert.deepEqual([delivered.body.deliveryStatus, delivered.body.status, delivered.body.changed], ["delivered", "Delivered", true]);
      const late = await h.internal("post", "/internal/v1/sms/status", { _id: sms!._id, deliveryStatus: "transmitted" });
      assert.deepEqual([late.body.deliveryStatus, late.body.changed], ["delivered", false]);
      const foreign = await h.internal("post", "/internal/v1/sms/status", { projectId: other._id, providerExternalId: "smsc-7", deliveryStatus: "failed" });
      assert.equal(foreign.status, 404);
    });

    it("answers 409 when a provider id matches several recipients", async () => {
      const project = await h.createProject();
      await h.ingest([
        { projectId: project._id, toNumber: "+4581808888", providerExternalId: "multi" },
        { projectId: project._id, toNumber: "+4581808889", providerExternalId: "multi" },
      ]);
      const ambiguous = await h.internal("post", "/internal/v1/sms/status", { projectId: project._id, providerExternalId: "multi", deliveryStatus: "transmitted" });
      assert.equal(ambiguous.status, 409);
      const precise = await h.internal("post", "/internal/v1/sms/status", { projectId: project._id, providerExternalId: "multi", toNumber: "+45 81 80 88 89", deliveryStatus: "transmitted" });
      assert.equal(precise.status, 200);
    });

    it("records a call and ends it", async () => {
      const project = await h.createProject();
      const call = await h.internal("post", "/internal/v1/incoming-call-logs", { projectId: project._id, callerPhoneNumber: "+4581808888" });
      assert.equal(call.status, 200);
      const ended = await h.internal("post", `/internal/v1/incoming-call-logs/${call.body._id}/update`, { status: "Completed", endedAt: new Date().toISOString(), callDurationInSeconds: 42 });
      assert.equal(ended.status, 200);
      const missing = await h.internal("post", `/internal/v1/incoming-call-logs/${project._id}/update`, { status: "Completed" });
      assert.equal(missing.status, 404);
    });

    it("deletes a project with everything it owns", async () => {
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ReadSmsLog"] });
      await h.ingest([{ projectId: project._id, toNumber: "+4581808888" }]);
      assert.equal((await h.internal("delete", `/internal/v1/projects/${project._id}`)).status, 200);
      assert.equal((await h.http.post("/api/sms-log/count").set("ApiKey", key).send({})).status, 401);
      assert.equal((await h.internal("delete", `/internal/v1/projects/${project._id}`)).status, 404);
    });

    it("deletes a reseller with its projects, everything they own and every key scoped to either", async () => {
      const reseller = await h.createReseller();
      const customer = await h.createProject({ resellerId: reseller._id });
      const other = await h.createReseller();
      const otherCustomer = await h.createProject({ resellerId: other._id });
      const resellerKey = await h.createKey({ resellerId: reseller._id });
      const ownKey = await h.createKey({ projectId: reseller.projectId, permissions: ["ReadSmsLog"] });
      const customerKey = await h.createKey({ projectId: customer._id, permissions: ["ReadSmsLog"] });
      const otherKey = await h.createKey({ projectId: otherCustomer._id, permissions: ["ReadSmsLog"] });
      await h.ingest([reseller.projectId, customer._id, otherCustomer._id].map((projectId) => ({ projectId, toNumber: "+4581808888" })));
      assert.equal((await h.internal("post", "/internal/v1/incoming-call-logs", { projectId: customer._id, callerPhoneNumber: "+4581808888" })).status, 200);

      const deleted = await h.internal("delete", `/internal/v1/resellers/${reseller._id.toUpperCase()}`);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.deepEqual(deleted.body, {});

      for (const key of [ownKey, customerKey]) assert.equal((await h.http.post("/api/sms-log/count").set("ApiKey", key).send({})).status, 401);
      assert.equal((await h.http.get("/sms").set("Authorization", `Bearer ${resellerKey}`)).status, 401);
      const keys = await h.internal("get", `/internal/v1/api-keys?resellerId=${reseller._id}`);
      assert.deepEqual(keys.body, { data: [] });
      for (const projectId of [reseller.projectId, customer._id]) {
        assert.equal((await h.internal("delete", `/internal/v1/projects/${projectId}`)).status, 404);
        for (const table of ["sms", "incoming_call_log"]) {
          const rows = await h.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE "projectId" = ${h.engine === "postgres" ? "$1" : "?"}`, [projectId]);
          assert.equal(Number(rows[0].n), 0, table);
        }
      }
      assert.equal((await h.internal("post", "/internal/v1/projects", { name: "late", resellerId: reseller._id })).status, 404);
      assert.equal((await h.internal("delete", `/internal/v1/resellers/${reseller._id}`)).status, 404);

      // The other reseller keeps everything.
      const count = await h.http.post("/api/sms-log/count").set("ApiKey", otherKey).send({});
      assert.deepEqual(count.body, { count: 1 });
    });

    it("answers malformed JSON, wrong content types and oversized bodies with 4xx", async () => {
      const malformed = await h.http.post("/internal/v1/projects").set("Authorization", `Bearer ${ADMIN_TOKEN}`).set("Content-Type", "application/json").send('{"name": ');
      assert.equal(malformed.status, 400);
      const text = await h.http.post("/internal/v1/projects").set("Authorization", `Bearer ${ADMIN_TOKEN}`).set("Content-Type", "text/plain").send("name=x");
      assert.equal(text.status, 415);
      const big = await h.http.post("/internal/v1/projects").set("Authorization", `Bearer ${ADMIN_TOKEN}`).send({ name: "x".repeat(2 * 1024 * 1024) });
      assert.equal(big.status, 413);
      const array = await h.http.post("/internal/v1/projects").set("Authorization", `Bearer ${ADMIN_TOKEN}`).send([{ name: "x" }]);
      assert.equal(array.status, 400);
    });
  });
}

describe("the internal API without an admin token", () => {
  it("answers 404 to everything", async () => {
    const h = await startHarness(testEngines()[0]!, { adminToken: null });
    try {
      const response = await h.http.post("/internal/v1/projects").set("Authorization", "Bearer anything-at-all-anything-at-all-x").send({ name: "x" });
      assert.equal(response.status, 404);
    } finally {
      await h.close();
    }
  });
});
