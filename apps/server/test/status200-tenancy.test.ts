import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// Tenant isolation, and the inputs upstream mishandles (status200-upstream.md "Bad inputs" 1-10).

interface Tenant {
  projectId: string;
  key: string;
  smsId: string;
  callId: string;
  itemId: string;
}

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 tenant isolation`, () => {
    let h: Harness;
    let a: Tenant;
    let b: Tenant;
    const as = (t: Tenant, method: "get" | "post" | "put" | "delete", path: string) => h.http[method](path).set("ApiKey", t.key);

    async function tenant(): Promise<Tenant> {
      const projectId = (await h.createProject())._id;
      const key = await h.createKey({ projectId, permissions: ["ProjectOwner"] });
      const [sms] = await h.ingest([{ projectId, toNumber: "+4581808888", status: "Delivered", smsText: "hello" }]);
      const callId = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888", status: "Ringing" })).body._id;
      const item = await h.http.post("/api/incoming-call-log-item").set("ApiKey", key).send({ data: { incomingCallLogId: callId, status: "Ringing", isAnswered: false } });
      assert.equal(item.status, 200, JSON.stringify(item.body));
      return { projectId, key, smsId: sms!._id, callId, itemId: item.body._id };
    }

    /** B's item as B sees it: to prove that nothing A did changed it. */
    const itemOfB = async () => (await as(b, "post", `/api/incoming-call-log-item/${b.itemId}/get-item`).send({ select: { status: true, updatedAt: true, projectId: true } })).body;
    const countOf = async (t: Tenant, resource: string) => (await as(t, "post", `/api/${resource}/count`).send({})).body.count as number;

    beforeAll(async () => {
      h = await startHarness(engine);
      a = await tenant();
      b = await tenant();
    });
    afterAll(() => h?.close());

    for (const resource of ["sms-log", "incoming-call-log", "incoming-call-log-item"]) {
      it(`a ${resource} filter on another project (projectId or project, in any spelling) finds nothing of it (bad input 1)`, async () => {
        const filters = [
          { projectId: b.projectId },
          { project: b.projectId },
          { project: b.projectId.toUpperCase() },
          { project: { _type: "ObjectID", value: b.projectId } },
          { projectId: [a.projectId, b.projectId] },
          { projectId: { _type: "Includes", value: [a.projectId, b.projectId] } },
          { projectId: { _type: "NotEqual", value: a.projectId } },
          { project: { _type: "IncludesNone", value: [a.projectId] } },
        ];
        for (const query of filters) {
          const list = await as(a, "post", `/api/${resource}/get-list`).send({ query, select: { projectId: true } });
          assert.equal(list.status, 200, JSON.stringify(query));
          assert.ok(list.body.data.every((o: { projectId: string }) => o.projectId === a.projectId), JSON.stringify(query));
          const count = await as(a, "post", `/api/${resource}/count`).send({ query });
          assert.equal(count.body.count, list.body.count);
        }
        const own = await as(a, "post", `/api/${resource}/count`).send({ query: { project: b.projectId, projectId: a.projectId } });
        assert.equal(own.body.count, 0, "a project filter is ANDed with the tenant, never replaces it");
      });
    }

    it("get-item, update and delete of another tenant's id are 404 and change nothing", async () => {
      const before = await itemOfB();
      const foreign: Array<[string, string]> = [
        ["sms-log", b.smsId],
        ["incoming-call-log", b.callId],
        ["incoming-call-log-item", b.itemId],
      ];
      for (const [resource, id] of foreign) {
        for (const method of ["post", "get"] as const) {
          assert.equal((await as(a, method, `/api/${resource}/${id}/get-item`).send({})).status, 404, `${method} ${resource}`);
        }
      }
      const path = `/api/incoming-call-log-item/${b.itemId}`;
      assert.equal((await as(a, "put", path).send({ data: { status: "Hijacked" } })).status, 404);
      assert.equal((await as(a, "post", `${path}/update-item`).send({ data: { status: "Hijacked" } })).status, 404);
      assert.equal((await as(a, "get", `${path}/update-item`).send({ data: { status: "Hijacked" } })).status, 404);
      assert.equal((await as(a, "delete", path)).status, 404);
      assert.equal((await as(a, "post", `${path}/delete-item`)).status, 404);
      assert.equal((await as(a, "get", `${path}/delete-item`)).status, 404);
      assert.deepEqual(await itemOfB(), before);
    });

    it("a create naming another project, as projectId or as a project object, is a 400 and writes nothing (bad input 2)", async () => {
      const counts = [await countOf(a, "incoming-call-log-item"), await countOf(b, "incoming-call-log-item")];
      const foreignId = await as(a, "post", "/api/incoming-call-log-item").send({ data: { projectId: b.projectId, incomingCallLogId: a.callId, status: "Ringing", isAnswered: false } });
      assert.equal(foreignId.status, 400);
      assert.match(foreignId.body.error, /data\.projectId/);
      const wrapped = await as(a, "post", "/api/incoming-call-log-item").send({ data: { projectId: { _type: "ObjectID", value: b.projectId }, incomingCallLogId: a.callId, status: "Ringing", isAnswered: false } });
      assert.equal(wrapped.status, 400);
      assert.match(wrapped.body.error, /data\.projectId/);
      const relation = await as(a, "post", "/api/incoming-call-log-item").send({ data: { project: { _id: b.projectId }, incomingCallLogId: a.callId, status: "Ringing", isAnswered: false } });
      assert.equal(relation.status, 400);
      assert.match(relation.body.error, /data\.project/);
      assert.deepEqual([await countOf(a, "incoming-call-log-item"), await countOf(b, "incoming-call-log-item")], counts);

      const own = await as(a, "post", "/api/incoming-call-log-item").send({ data: { projectId: a.projectId.toUpperCase(), incomingCallLogId: a.callId, status: "Ringing", isAnswered: false } });
      assert.equal(own.status, 200, "the key's own project (any case) is accepted");
      assert.equal(own.body.projectId, a.projectId);
    });

    it("a create carrying an existing _id or id is a 400 and never overwrites that row (bad input 3)", async () => {
      const before = await itemOfB();
      for (const key of ["_id", "id"]) {
        const response = await as(a, "post", "/api/incoming-call-log-item").send({ data: { [key]: b.itemId, incomingCallLogId: a.callId, status: "Hijacked", isAnswered: true } });
        assert.equal(response.status, 400);
        assert.match(response.body.error, new RegExp(`data\\.${key}`));
      }
      assert.deepEqual(await itemOfB(), before);
    });

    it("a create under another project's call is the same 400 as under a missing call (bad input 4)", async () => {
      const count = await countOf(b, "incoming-call-log-item");
      const foreign = await as(a, "post", "/api/incoming-call-log-item").send({ data: { incomingCallLogId: b.callId, status: "Ringing", isAnswered: false } });
      const missing = await as(a, "post", "/api/incoming-call-log-item").send({ data: { incomingCallLogId: "550e8400-e29b-41d4-a716-446655440000", status: "Ringing", isAnswered: false } });
      assert.equal(foreign.status, 400);
      assert.match(foreign.body.error, /data\.incomingCallLogId/);
      assert.deepEqual([missing.status, missing.body], [foreign.status, foreign.body]);
      assert.equal(await countOf(b, "incoming-call-log-item"), count);
    });

    it("sorting on a column the resource does not expose is a 400 (bad input 5)", async () => {
      const cases: Array<[string, object]> = [
        ["sms-log", { cost: "ASC" }],
        ["sms-log", { messageId: 1 }],
        ["sms-log", { direction: -1 }],
        ["sms-log", { smsText: "DESC" }],
        ["sms-log", { toNumberDigits: "ASC" }],
        ["sms-log", { alert: "ASC" }],
        ["incoming-call-log-item", { userPhoneNumberDigits: "ASC" }],
        ["incoming-call-log-item", { incomingCallLog: "ASC" }],
      ];
      for (const [resource, sort] of cases) {
        const response = await as(a, "post", `/api/${resource}/get-list`).send({ sort });
        assert.equal(response.status, 400, JSON.stringify(sort));
        assert.match(response.body.error, new RegExp(`sort\\.${Object.keys(sort)[0]}`));
      }
    });

    it("server-set columns cannot be written by create or update (bad input 7)", async () => {
      const before = await itemOfB();
      for (const key of ["createdAt", "updatedAt", "deletedAt", "version"]) {
        const create = await as(b, "post", "/api/incoming-call-log-item").send({ data: { [key]: "2020-01-01T00:00:00.000Z", incomingCallLogId: b.callId, status: "Ringing", isAnswered: false } });
        assert.equal(create.status, 400, key);
        assert.match(create.body.error, new RegExp(`data\\.${key}`));
      }
      for (const [key, value] of [["_id", a.itemId], ["createdAt", "2020-01-01T00:00:00.000Z"], ["updatedAt", "2020-01-01T00:00:00.000Z"], ["projectId", a.projectId], ["incomingCallLogId", b.callId], ["userPhoneNumber", "+4581808888"]]) {
        const update = await as(b, "put", `/api/incoming-call-log-item/${b.itemId}`).send({ data: { [key!]: value, status: "Changed" } });
        assert.equal(update.status, 400, key);
        assert.match(update.body.error, new RegExp(`data\\.${key}`));
      }
      assert.deepEqual(await itemOfB(), before);
    });

    it("an absent or empty filter value is a 400, never a wider query (bad input 8)", async () => {
      const queries: object[] = [
        { _id: { _type: "EqualTo" } },
        { _id: null },
        { _id: [] },
        { _id: { _type: "Includes", value: [] } },
        { createdAt: { _type: "InBetween", startValue: "2020-01-01T00:00:00Z" } },
        { status: { _type: "Search" } },
        { _id: {} },
        { _id: "" },
      ];
      for (const query of queries) {
        for (const path of ["/api/incoming-call-log-item/count", "/api/incoming-call-log-item/get-list"]) {
          const response = await as(a, "post", path).send({ query });
          assert.equal(response.status, 400, `${path} ${JSON.stringify(query)}: ${JSON.stringify(response.body)}`);
          assert.match(response.body.error, /query\._id|query\.createdAt|query\.status/);
        }
      }
      // A path without an id is not a list.
      assert.equal((await as(a, "post", "/api/incoming-call-log-item//get-item").send({})).status, 404);
    });

    it("filters through a relation are a 400 (bad input 10)", async () => {
      const cases: Array<[string, object]> = [
        ["incoming-call-log-item", { incomingCallLog: { status: "Ringing" } }],
        ["incoming-call-log-item", { incomingCallLog: { projectId: b.projectId } }],
        ["incoming-call-log-item", { project: { _id: b.projectId } }],
        ["sms-log", { alert: { monitorId: a.projectId } }],
      ];
      for (const [resource, query] of cases) {
        const response = await as(a, "post", `/api/${resource}/count`).send({ query });
        assert.equal(response.status, 400, JSON.stringify(query));
        assert.match(response.body.error, new RegExp(`query\\.${Object.keys(query)[0]}`));
      }
      // The alias with an id is fine, and still within the tenant.
      const byAlias = await as(a, "post", "/api/incoming-call-log-item/count").send({ query: { incomingCallLog: b.callId } });
      assert.deepEqual([byAlias.status, byAlias.body.count], [200, 0]);
    });
  });
}
