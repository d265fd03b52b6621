import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// The seed documents' own request bodies (seeds 000, 001), verbatim.
const seeds = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@commlog/contracts/seed-examples.json"), "utf8")).status200;
const SEED_ALERT_ID = seeds.smsLogList.response.data[0].alert as string;

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 reads`, () => {
    let h: Harness;
    let projectId: string;
    let key: string;
    let delivered: string;
    let callId: string;
    let itemId: string;
    const api = (method: "get" | "post" | "put" | "delete", path: string) => h.http[method](path).set("ApiKey", key);

    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ProjectOwner"] });
      const ingested = await h.ingest([
        // The seed's alert id is no RFC 4122 uuid, and upper case on the way in: it must still validate.
        { projectId, toNumber: "+1-555-123-4567", status: "Delivered", smsCostInUSDCents: 75, alertId: SEED_ALERT_ID.toUpperCase(), smsText: "hi" },
        { projectId, toNumber: "+1-555-123-4568", status: "Failed", smsCostInUSDCents: 75 },
        // The ledger's incoming SMS are not the SMS Log's.
        { projectId, toNumber: "+1-555-123-4567", status: "Delivered", direction: "incoming" },
      ]);
      delivered = ingested[0]!._id;
      callId = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888" })).body._id;
      const created = await api("post", "/api/incoming-call-log-item").send({ data: { incomingCallLogId: callId, isAnswered: true, status: "Example status" } });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      itemId = created.body._id;
    });
    afterAll(() => h?.close());

    it("answers the seed 000 list request with the outgoing Delivered SMS, carrying exactly the selected fields", async () => {
      const { path, query, request } = seeds.smsLogList;
      const response = await api("post", `${path}${query}`).send(request);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(response.body, {
        count: 1,
        limit: 10,
        skip: 0,
        data: [{ _id: delivered, projectId, smsCostInUSDCents: 75, status: "Delivered", toNumber: "+1-555-123-4567", alert: SEED_ALERT_ID }],
      });
      assert.equal(response.headers["cache-control"], "no-store");
    });

    it("answers the GET twin of get-list with the same body exactly like POST", async () => {
      const { path, query, request } = seeds.smsLogList;
      const byPost = await api("post", `${path}${query}`).send(request);
      const byGet = await api("get", `${path}${query}`).send(request);
      assert.equal(byGet.status, 200);
      assert.deepEqual(byGet.body, byPost.body);
    });

    it("answers the seed 000 get-item request by POST and GET", async () => {
      const path = seeds.smsLogGetItem.path.replace("{id}", delivered);
      for (const method of ["post", "get"] as const) {
        const response = await api(method, path).send(seeds.smsLogGetItem.request);
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, { _id: delivered, projectId, smsCostInUSDCents: 75, status: "Delivered", toNumber: "+1-555-123-4567", alert: SEED_ALERT_ID });
      }
    });

    it("answers the seed 000 count request with the number of outgoing Delivered SMS", async () => {
      const response = await api("post", seeds.smsLogCount.path).send(seeds.smsLogCount.request);
      assert.deepEqual([response.status, response.body], [200, { count: 1 }]);
      const all = await api("post", "/api/sms-log/count").send({});
      assert.deepEqual(all.body, { count: 2 });
    });

    it("returns only _id without select, and uppercase ids in the path find the row", async () => {
      const listed = await api("post", "/api/sms-log/get-list").send({});
      assert.deepEqual(listed.body.data.map((o: object) => Object.keys(o)), [["_id"], ["_id"]]);
      const item = await api("get", `/api/sms-log/${delivered.toUpperCase()}/get-item`);
      assert.deepEqual(item.body, { _id: delivered });
    });

    it("answers the seed 001 item list, get-item and count requests", async () => {
      const expected = { _id: itemId, incomingCallLogId: callId, isAnswered: true, projectId, status: "Example status" };
      for (const method of ["post", "get"] as const) {
        const list = await api(method, `${seeds.itemList.path}${seeds.itemList.query}`).send(seeds.itemList.request);
        assert.deepEqual(list.body, { count: 1, limit: 10, skip: 0, data: [expected] });
        const item = await api(method, seeds.itemGetItem.path.replace("{id}", itemId)).send(seeds.itemGetItem.request);
        assert.deepEqual(item.body, expected);
      }
      const count = await api("post", seeds.itemCount.path).send(seeds.itemCount.request);
      assert.deepEqual(count.body, { count: 1 });
    });

    it("lists, gets and counts Incoming Call Logs by every method", async () => {
      const select = { callerPhoneNumber: true, status: true, project: true, endedAt: true };
      const expected = { _id: callId, callerPhoneNumber: "+4581808888", status: "Initiated", project: projectId, endedAt: null };
      for (const method of ["post", "get"] as const) {
        const list = await api(method, "/api/incoming-call-log/get-list").send({ select });
        assert.deepEqual(list.body, { count: 1, limit: 10, skip: 0, data: [expected] });
        const item = await api(method, `/api/incoming-call-log/${callId}/get-item`).send({ select });
        assert.deepEqual(item.body, expected);
      }
      const count = await api("post", "/api/incoming-call-log/count").send({ query: { status: "Initiated" } });
      assert.deepEqual(count.body, { count: 1 });
    });

    it("answers 404 for a missing id, the seed's example id included", async () => {
      for (const path of ["/api/sms-log", "/api/incoming-call-log", "/api/incoming-call-log-item"]) {
        const response = await api("post", `${path}/550e8400-e29b-41d4-a716-446655440000/get-item`).send({});
        assert.equal(response.status, 404);
        assert.equal(typeof response.body.error, "string");
      }
      // An SMS of the ledger that the SMS Log does not show (incoming) is missing too.
      const incoming = (await api("post", "/api/sms-log/count").send({})).body.count;
      assert.equal(incoming, 2);
    });

    it("returns dates as ISO-8601 UTC strings with milliseconds", async () => {
      const response = await api("post", `/api/sms-log/${delivered}/get-item`).send({ select: { createdAt: true, updatedAt: true } });
      assert.match(response.body.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(response.body.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it("accepts the upstream client's groupBy {} and Content-Type application/json;charset=UTF-8", async () => {
      const response = await api("post", "/api/sms-log/get-list")
        .set("Content-Type", "application/json;charset=UTF-8")
        .send(JSON.stringify({ select: { status: true }, query: { status: "Delivered" }, sort: { createdAt: "DESC" }, groupBy: {} }));
      assert.equal(response.status, 200);
      assert.equal(response.body.count, 1);
    });

    describe("bad input is a 400/415 in the error body, never a 500", () => {
      const cases: Array<[string, number, (h: Harness) => ReturnType<Harness["http"]["post"]>, RegExp]> = [
        ["malformed JSON", 400, (h) => h.http.post("/api/sms-log/get-list").set("Content-Type", "application/json").send('{"select": '), /JSON/],
        ["a non-object body", 400, (h) => h.http.post("/api/sms-log/get-list").send([1]), /object/],
        ["a text/plain body", 415, (h) => h.http.post("/api/sms-log/get-list").set("Content-Type", "text/plain").send("select=status"), /media type/],
        ["a malformed id", 400, (h) => h.http.post("/api/sms-log/not-a-uuid/get-item").send({}), /id/],
        ["a malformed date", 400, (h) => h.http.post("/api/sms-log/get-list").send({ query: { createdAt: "yesterday" } }), /query\.createdAt/],
        ["a date without offset", 400, (h) => h.http.post("/api/sms-log/count").send({ query: { createdAt: { _type: "GreaterThan", value: "2026-01-01T00:00:00" } } }), /query\.createdAt/],
        ["a non-empty groupBy", 400, (h) => h.http.post("/api/sms-log/get-list").send({ groupBy: { status: true } }), /groupBy/],
        ["an unknown select field", 400, (h) => h.http.post("/api/sms-log/get-list").send({ select: { cost: true } }), /select\.cost/],
        ["a select value that is not a boolean", 400, (h) => h.http.post("/api/sms-log/get-list").send({ select: { status: "yes" } }), /select\.status/],
        ["an unknown query field", 400, (h) => h.http.post("/api/sms-log/count").send({ query: { direction: "incoming" } }), /query\.direction/],
        ["an unknown sort field", 400, (h) => h.http.post("/api/sms-log/get-list").send({ sort: { messageId: 1 } }), /sort\.messageId/],
        ["a bad sort direction", 400, (h) => h.http.post("/api/sms-log/get-list").send({ sort: { createdAt: "up" } }), /sort\.createdAt/],
        ["an unknown body key", 400, (h) => h.http.post("/api/sms-log/count").send({ where: {} }), /where/],
        ["an unknown query-string parameter", 400, (h) => h.http.post("/api/sms-log/get-list?offset=3").send({}), /offset/],
      ];
      for (const [what, status, request, message] of cases) {
        it(`answers ${what} with ${status}`, async () => {
          const response = await request(h).set("ApiKey", key);
          assert.equal(response.status, status, JSON.stringify(response.body));
          assert.match(response.headers["content-type"] ?? "", /^application\/json/);
          assert.equal(typeof response.body.error, "string");
          assert.equal(typeof response.body.code, "string");
          assert.match(response.body.error, message);
        });
      }
    });
  });

  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 pagination`, () => {
    let h: Harness;
    let key: string;
    const sameInstant = "2026-03-01T12:00:00.123Z";
    const list = (query: string, body: object = {}) => h.http.post(`/api/sms-log/get-list${query}`).set("ApiKey", key).send(body);

    beforeAll(async () => {
      h = await startHarness(engine);
      const projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ReadSmsLog"] });
      await h.ingest(Array.from({ length: 25 }, (_, i) => ({ projectId, toNumber: `+4581808${String(i).padStart(3, "0")}`, createdAt: sameInstant })));
    });
    afterAll(() => h?.close());

    it("defaults to skip 0 and limit 10 and reports the total count", async () => {
      const response = await list("");
      assert.deepEqual([response.body.count, response.body.limit, response.body.skip, response.body.data.length], [25, 10, 0, 10]);
    });

    it("accepts limits 1 and 100 and answers the values applied", async () => {
      assert.deepEqual(
        [(await list("?limit=1")).body.data.length, (await list("?limit=100")).body.data.length, (await list("", { limit: 100, skip: 20 })).body.data.length],
        [1, 25, 5],
      );
      const beyond = await list("?skip=30");
      assert.deepEqual([beyond.status, beyond.body.count, beyond.body.skip, beyond.body.data], [200, 25, 30, []]);
    });

    for (const [where, query, body] of [
      ["limit=0", "?limit=0", {}],
      ["limit=101", "?limit=101", {}],
      ["limit=-1", "?limit=-1", {}],
      ["limit=abc", "?limit=abc", {}],
      ["limit=1.5", "?limit=1.5", {}],
      ["skip=-1", "?skip=-1", {}],
      ["a body limit of 0", "", { limit: 0 }],
      ["a body limit of 101", "", { limit: 101 }],
      ["a body limit as a string", "", { limit: "5" }],
      ["a negative body skip", "", { skip: -1 }],
    ] as const) {
      it(`rejects ${where} with 400 naming the parameter`, async () => {
        const response = await list(query, body);
        assert.equal(response.status, 400);
        assert.match(response.body.error, /limit|skip/);
      });
    }

    it("takes skip and limit from the body, and the query string wins over the body", async () => {
      const fromBody = await list("", { skip: 3, limit: 4 });
      assert.deepEqual([fromBody.body.skip, fromBody.body.limit, fromBody.body.data.length], [3, 4, 4]);
      const both = await list("?skip=1&limit=2", { skip: 3, limit: 4 });
      assert.deepEqual([both.body.skip, both.body.limit, both.body.data.length], [1, 2, 2]);
    });

    it("counts the same rows the list totals", async () => {
      const query = { toNumber: { _type: "StartsWith", value: "+45 81 80 80 1" } };
      const count = await h.http.post("/api/sms-log/count").set("ApiKey", key).send({ query });
      const listed = await list("?limit=1", { query });
      assert.equal(count.body.count, 10);
      assert.equal(listed.body.count, count.body.count);
    });

    for (const direction of ["ASC", "DESC"] as const) {
      it(`pages through 25 rows sharing one createdAt with limit 7 (${direction}): every row exactly once, in a stable order`, async () => {
        const pageThrough = async () => {
          const ids: string[] = [];
          for (let skip = 0; skip < 25; skip += 7) {
            const page = await list(`?skip=${skip}&limit=7`, { sort: { createdAt: direction } });
            assert.equal(page.body.count, 25);
            ids.push(...page.body.data.map((o: { _id: string }) => o._id));
          }
          return ids;
        };
        const first = await pageThrough();
        assert.equal(first.length, 25);
        assert.equal(new Set(first).size, 25);
        assert.deepEqual(await pageThrough(), first);
        const whole = (await list("?limit=100", { sort: { createdAt: direction } })).body.data.map((o: { _id: string }) => o._id);
        assert.deepEqual(first, whole);
      });
    }

    it("breaks ties by _id in the sort's direction, so DESC is the reverse of ASC", async () => {
      const ids = async (direction: string | number) => (await list("?limit=100", { sort: { createdAt: direction } })).body.data.map((o: { _id: string }) => o._id);
      assert.deepEqual(await ids("DESC"), [...(await ids("ASC"))].reverse());
      assert.deepEqual(await ids("DESC"), await ids(-1));
    });
  });
}
