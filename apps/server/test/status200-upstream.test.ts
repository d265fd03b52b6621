import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { INCOMING_CALL_LOG, INCOMING_CALL_LOG_ITEM, SMS_LOG, type ResourceDef } from "@commlog/domain";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// Upstream clients and dashboards, unchanged (SPEC §4 "Upstream clients as they are", §10): the
// upstream client's create without isAnswered, relation selects in both forms, text operators on
// ids, typed wrappers everywhere, its envelope (groupBy, miscDataProps, charset, status 200).
// Responses are validated against the OpenAPI document by the harness.

const ALERT = "d4e5f6a7-89ab-23de-f456-456789abcdef";
const USER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const POLICY = "ffff0000-1111-2222-3333-444455556666";
const T0 = "2026-03-01T10:00:00.000Z";
const T1 = "2026-03-01T11:00:00.000Z";

const resourceOf: Record<string, ResourceDef> = {
  "sms-log": SMS_LOG,
  "incoming-call-log": INCOMING_CALL_LOG,
  "incoming-call-log-item": INCOMING_CALL_LOG_ITEM,
};

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 upstream clients and dashboards`, () => {
    let h: Harness;
    let key: string;
    let projectId: string;
    let call1: string;
    let call2: string;
    let smsWithAlert: string;
    let smsWithout: string;
    let item1: string;

    const api = (path: string, body: object) => h.http.post(path).set("ApiKey", key).send(body);
    async function ok(path: string, body: object) {
      const response = await api(path, body);
      assert.equal(response.status, 200, `${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`);
      return response.body;
    }
    const ids = async (resource: string, query: object) =>
      ((await ok(`/api/${resource}/get-list?limit=100`, { query })).data as Array<{ _id: string }>).map((o) => o._id).sort();

    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ProjectOwner"] });
      call1 = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888", answeredByUserId: USER, incomingCallPolicyId: POLICY })).body._id;
      call2 = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808889" })).body._id;
      const sms = await h.ingest([
        { projectId, toNumber: "+4581808888", alertId: ALERT, createdAt: T0 },
        { projectId, toNumber: "+4581808889", createdAt: T1 },
      ]);
      smsWithAlert = sms[0]!._id;
      smsWithout = sms[1]!._id;
      item1 = (await ok("/api/incoming-call-log-item", { data: { incomingCallLogId: call1, status: "Ringing", isAnswered: true, userId: USER } }))._id;
    });
    afterAll(() => h?.close());

    describe("create without isAnswered", () => {
      it("defaults isAnswered to false, returns it and stores it", async () => {
        const created = await ok("/api/incoming-call-log-item", { data: { incomingCallLogId: call2, status: "Ringing" }, miscDataProps: {} });
        assert.equal(created.isAnswered, false);
        assert.equal(created.incomingCallLogId, call2);
        const read = await ok(`/api/incoming-call-log-item/${created._id}/get-item`, { select: { isAnswered: true } });
        assert.deepEqual(read, { _id: created._id, isAnswered: false });
        assert.ok((await ids("incoming-call-log-item", { isAnswered: false })).includes(created._id));
        await ok(`/api/incoming-call-log-item/${created._id}/delete-item`, {});
      });

      it("an explicit null isAnswered is still a 400", async () => {
        const response = await api("/api/incoming-call-log-item", { data: { incomingCallLogId: call2, status: "Ringing", isAnswered: null } });
        assert.equal(response.status, 400);
        assert.match(response.body.error, /isAnswered/);
      });
    });

    describe("relation select in both forms", () => {
      it("get-list: true returns the id, an object returns {_id} or null", async () => {
        const body = await ok("/api/sms-log/get-list", { select: { alert: { _id: true, title: true }, project: { _id: true, name: true }, alertId: true, user: true }, sort: { createdAt: "ASC" } });
        assert.deepEqual(body.data, [
          { _id: smsWithAlert, alert: { _id: ALERT }, project: { _id: projectId }, alertId: ALERT, user: null },
          { _id: smsWithout, alert: null, project: { _id: projectId }, alertId: null, user: null },
        ]);
        const seedForm = await ok("/api/sms-log/get-list", { select: { alert: true }, sort: { createdAt: "ASC" } });
        assert.deepEqual(seedForm.data, [{ _id: smsWithAlert, alert: ALERT }, { _id: smsWithout, alert: null }]);
      });

      it("get-item on every resource, including an empty sub-field object", async () => {
        assert.deepEqual(await ok(`/api/sms-log/${smsWithAlert}/get-item`, { select: { alert: {} } }), { _id: smsWithAlert, alert: { _id: ALERT } });
        assert.deepEqual(await ok(`/api/incoming-call-log/${call1}/get-item`, { select: { answeredByUser: { _id: true, name: true }, incomingCallPolicy: { _id: true }, project: true } }), {
          _id: call1, answeredByUser: { _id: USER }, incomingCallPolicy: { _id: POLICY }, project: projectId,
        });
        assert.deepEqual(await ok(`/api/incoming-call-log/${call2}/get-item`, { select: { answeredByUser: { _id: true } } }), { _id: call2, answeredByUser: null });
        assert.deepEqual(await ok(`/api/incoming-call-log-item/${item1}/get-item`, { select: { incomingCallLog: { _id: true, status: true }, user: { _id: true }, incomingCallPolicyEscalationRule: { _id: true } } }), {
          _id: item1, incomingCallLog: { _id: call1 }, user: { _id: USER }, incomingCallPolicyEscalationRule: null,
        });
      });

      it("every relation of every resource takes the object form", async () => {
        for (const [resource, def] of Object.entries(resourceOf)) {
          const select = Object.fromEntries(def.fields.filter((f) => f.relation).map((f) => [f.relation!, { _id: true }]));
          const body = await ok(`/api/${resource}/get-list`, { select });
          assert.ok(body.data.length > 0, resource);
          for (const row of body.data) {
            for (const name of Object.keys(select)) {
              const v = row[name];
              assert.ok(v === null || (typeof v === "object" && Object.keys(v).join() === "_id" && typeof v._id === "string"), `${resource}.${name}: ${JSON.stringify(v)}`);
            }
          }
        }
      });

      it("sub-fields must be identifiers, at most 50, each true; plain fields take no object", async () => {
        const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`field${i}`, true]));
        await ok("/api/sms-log/get-list", { select: { alert: fifty } });
        for (const alert of [{ ...fifty, one: true }, { "not a name": true }, { _id: false }, { _id: "yes" }, { _id: { _id: true } }]) {
          const response = await api("/api/sms-log/get-list", { select: { alert } });
          assert.equal(response.status, 400, JSON.stringify(alert));
          assert.match(response.body.error, /select/);
        }
        for (const select of [{ alertId: { _id: true } }, { status: { _id: true } }]) {
          assert.equal((await api("/api/sms-log/get-list", { select })).status, 400, JSON.stringify(select));
        }
      });
    });

    describe("Search, StartsWith and EndsWith on id fields", () => {
      it("_id: case-insensitive against the lowercase uuid text", async () => {
        assert.deepEqual(await ids("sms-log", { _id: { _type: "StartsWith", value: smsWithAlert.slice(0, 10).toUpperCase() } }), [smsWithAlert]);
        assert.deepEqual(await ids("sms-log", { _id: { _type: "EndsWith", value: smsWithout.slice(-6).toUpperCase() } }), [smsWithout]);
        assert.deepEqual(await ids("sms-log", { _id: { _type: "Search", value: smsWithAlert.slice(9, 23) } }), [smsWithAlert]);
        assert.deepEqual(await ids("sms-log", { _id: { _type: "StartsWith", value: smsWithAlert } }), [smsWithAlert]);
        assert.deepEqual(await ids("sms-log", { _id: { _type: "StartsWith", value: "" } }), [smsWithAlert, smsWithout].sort());
      });

      it("relation ids and their relation names, nulls never matching", async () => {
        assert.deepEqual(await ids("sms-log", { alert: { _type: "StartsWith", value: "D4E5F6A7-89" } }), [smsWithAlert]);
        assert.deepEqual(await ids("sms-log", { alertId: { _type: "Search", value: "23DE" } }), [smsWithAlert]);
        assert.deepEqual(await ids("sms-log", { alertId: { _type: "EndsWith", value: "cdef" } }), [smsWithAlert]);
        assert.deepEqual(await ids("incoming-call-log", { incomingCallPolicy: { _type: "StartsWith", value: "ffff" } }), [call1]);
        assert.deepEqual(await ids("incoming-call-log-item", { incomingCallLogId: { _type: "StartsWith", value: call1.slice(0, 4) } }), [item1]);
      });

      it("projectId: every row of the tenant, never another tenant's", async () => {
        assert.deepEqual(await ids("sms-log", { projectId: { _type: "StartsWith", value: projectId.slice(0, 8) } }), [smsWithAlert, smsWithout].sort());
        assert.deepEqual(await ids("sms-log", { project: { _type: "Search", value: projectId.slice(-12).toUpperCase() } }), [smsWithAlert, smsWithout].sort());
        const other = (await h.createProject())._id;
        assert.deepEqual(await ids("sms-log", { projectId: { _type: "StartsWith", value: other } }), []);
      });

      it("values no uuid text holds match nothing; % and _ are literal; the count agrees", async () => {
        for (const value of ["xyz", "d4e5f6a789", "%", "_", "d4e5f6a7_89ab"]) {
          for (const type of ["StartsWith", "Search", "EndsWith"]) {
            const query = { alertId: { _type: type, value } };
            assert.deepEqual(await ids("sms-log", query), [], JSON.stringify(query));
            assert.deepEqual(await ok("/api/sms-log/count", { query }), { count: 0 });
          }
        }
        assert.deepEqual(await ok("/api/sms-log/count", { query: { _id: { _type: "Search", value: "-" } } }), { count: 2 });
      });

      it("NotContains on an id is still a 400 naming the field", async () => {
        const response = await api("/api/sms-log/count", { query: { _id: { _type: "NotContains", value: "a" } } });
        assert.equal(response.status, 400);
        assert.match(response.body.error, /_id/);
      });
    });

    describe("typed wrappers, envelope and status codes", () => {
      it("wrappers inside data, query operators and arrays", async () => {
        const created = await ok("/api/incoming-call-log-item", {
          data: {
            projectId: { _type: "ObjectID", value: projectId.toUpperCase() },
            incomingCallLogId: { _type: "ObjectID", value: call2 },
            userId: { _type: "ObjectID", value: USER },
            userPhoneNumber: { _type: "Phone", value: "+45 81 80 88 77" },
            status: "Connected",
            startedAt: { _type: "DateTime", value: T0 },
            endedAt: { _type: "DateTime", value: "2026-03-01T12:00:00.000+02:00" },
          },
          miscDataProps: {},
        });
        assert.equal(created.projectId, projectId);
        assert.equal(created.userPhoneNumber, "+45 81 80 88 77");
        assert.equal(created.endedAt, "2026-03-01T10:00:00.000Z");
        const mine = [created._id];
        assert.deepEqual(await ids("incoming-call-log-item", { userPhoneNumber: { _type: "EqualTo", value: { _type: "Phone", value: "4581808877" } } }), mine);
        assert.deepEqual(await ids("incoming-call-log-item", { incomingCallLogId: [{ _type: "ObjectID", value: call2 }], status: "Connected" }), mine);
        assert.deepEqual(await ids("incoming-call-log-item", { userPhoneNumber: [{ _type: "Phone", value: "+4581808877" }] }), mine);
        assert.deepEqual(await ids("incoming-call-log-item", { startedAt: { _type: "Includes", value: [{ _type: "DateTime", value: T0 }] } }), mine);
        assert.deepEqual(await ids("incoming-call-log-item", { startedAt: { _type: "InBetween", startValue: { _type: "DateTime", value: T0 }, endValue: { _type: "DateTime", value: T1 } } }), mine);
        assert.deepEqual(await ids("incoming-call-log-item", { userId: { _type: "IncludesNone", value: [{ _type: "ObjectID", value: USER }] } }), []);
        assert.deepEqual(await ids("incoming-call-log-item", { endedAt: { _type: "LessThanOrNull", value: { _type: "DateTime", value: T1 } }, _id: mine[0] }), mine);
        const updated = await h.http
          .put(`/api/incoming-call-log-item/${created._id}`)
          .set("ApiKey", key)
          .set("Content-Type", "application/json;charset=UTF-8")
          .send(JSON.stringify({ data: { endedAt: { _type: "DateTime", value: T1 }, isAnswered: true }, miscDataProps: {} }));
        assert.equal(updated.status, 200);
        assert.deepEqual(updated.body, {});
        assert.deepEqual(await ok(`/api/incoming-call-log-item/${created._id}/get-item`, { select: { endedAt: true, isAnswered: true } }), { _id: created._id, endedAt: T1, isAnswered: true });
        const removed = await h.http.delete(`/api/incoming-call-log-item/${created._id}`).set("ApiKey", key);
        assert.equal(removed.status, 200);
        assert.deepEqual(removed.body, {});
      });

      it("a wrapper of the wrong type is a 400 naming the field", async () => {
        const response = await api("/api/incoming-call-log-item/count", { query: { startedAt: { _type: "GreaterThan", value: { _type: "ObjectID", value: USER } } } });
        assert.equal(response.status, 400);
        assert.match(response.body.error, /startedAt/);
      });

      it("the upstream list body: groupBy {}, sort ASC/DESC, charset=UTF-8, count/skip/limit", async () => {
        for (const [direction, expected] of [["ASC", [smsWithAlert, smsWithout]], ["DESC", [smsWithout, smsWithAlert]]] as const) {
          const response = await h.http
            .post("/api/sms-log/get-list?skip=0&limit=10")
            .set("ApiKey", key)
            .set("Content-Type", "application/json;charset=UTF-8")
            .send(JSON.stringify({ select: { createdAt: true }, query: {}, sort: { createdAt: direction }, groupBy: {} }));
          assert.equal(response.status, 200);
          assert.deepEqual({ ...response.body, data: response.body.data.map((o: { _id: string }) => o._id) }, { count: 2, skip: 0, limit: 10, data: expected });
        }
        for (const resource of Object.keys(resourceOf)) {
          const body = await ok(`/api/${resource}/get-list`, { groupBy: {} });
          assert.deepEqual(Object.keys(body).sort(), ["count", "data", "limit", "skip"], resource);
        }
      });
    });
  });
}
