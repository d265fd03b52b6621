import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

const seeds = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@commlog/contracts/seed-examples.json"), "utf8")).status200;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 Incoming Call Log Item writes`, () => {
    let h: Harness;
    let projectId: string;
    let key: string;
    let callId: string;
    const api = (method: "get" | "post" | "put" | "delete", path: string) => h.http[method](path).set("ApiKey", key);
    /** The seed 001 create body, with the seed's ids replaced by this project's. */
    const seedCreate = () => ({ data: { ...seeds.itemCreate.request.data, projectId, incomingCallLogId: callId } });
    const create = async (body: object = seedCreate()) => {
      const response = await api("post", "/api/incoming-call-log-item").send(body);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as Record<string, unknown> & { _id: string };
    };
    const read = async (id: string) =>
      (await api("post", `/api/incoming-call-log-item/${id}/get-item`).send({ select: { status: true, callCostInUSDCents: true, isAnswered: true, statusMessage: true, endedAt: true, createdAt: true, updatedAt: true } })).body;

    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ProjectAdmin"] });
      callId = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888" })).body._id;
    });
    afterAll(() => h?.close());

    it("creates from the seed 001 request and answers 200 with every non-null field of the new object", async () => {
      const created = await create();
      assert.deepEqual(Object.keys(created).sort(), ["_id", "callCostInUSDCents", "createdAt", "incomingCallLogId", "isAnswered", "projectId", "status", "updatedAt"]);
      assert.match(created._id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        [created.projectId, created.incomingCallLogId, created.status, created.isAnswered, created.callCostInUSDCents],
        [projectId, callId, "Example status", true, 100],
      );
      assert.match(created.createdAt as string, ISO_MS);
      assert.equal(created.updatedAt, created.createdAt);
      const stored = await read(created._id);
      assert.deepEqual([stored.createdAt, stored.status], [created.createdAt, "Example status"]);
    });

    it("accepts typed wrappers and miscDataProps {}, lowercases ids, and returns phones as given", async () => {
      const created = await create({
        data: {
          incomingCallLogId: { _type: "ObjectID", value: callId.toUpperCase() },
          userId: "D4E5F6A7-89AB-23DE-F456-456789ABCDEF",
          userPhoneNumber: { _type: "Phone", value: "+45 81 80 88 88" },
          startedAt: { _type: "DateTime", value: "2026-01-01T01:00:00.5+01:00" },
          endedAt: null,
          statusMessage: "x".repeat(500),
          status: "Ringing",
          isAnswered: false,
          dialDurationInSeconds: 0,
        },
        miscDataProps: {},
      });
      assert.equal(created.incomingCallLogId, callId);
      assert.equal(created.userId, "d4e5f6a7-89ab-23de-f456-456789abcdef");
      assert.equal(created.userPhoneNumber, "+45 81 80 88 88");
      assert.equal(created.startedAt, "2026-01-01T00:00:00.500Z");
      assert.equal(created.dialDurationInSeconds, 0);
      assert.equal("endedAt" in created, false);
      const byDigits = await api("post", "/api/incoming-call-log-item/count").send({ query: { userPhoneNumber: "4581808888" } });
      assert.equal(byDigits.body.count, 1);
    });

    const badCreates: Array<[string, object, string]> = [
      ["a missing status", { incomingCallLogId: "CALL", isAnswered: true }, "data.status"],
      ["a null isAnswered (it may be left out, never null)", { incomingCallLogId: "CALL", status: "Ringing", isAnswered: null }, "data.isAnswered"],
      ["a missing incomingCallLogId", { status: "Ringing", isAnswered: true }, "data.incomingCallLogId"],
      ["an empty status", { incomingCallLogId: "CALL", status: "", isAnswered: true }, "data.status"],
      ["a status over 100 characters", { incomingCallLogId: "CALL", status: "x".repeat(101), isAnswered: true }, "data.status"],
      ["a statusMessage over 500 characters", { incomingCallLogId: "CALL", status: "R", statusMessage: "x".repeat(501), isAnswered: true }, "data.statusMessage"],
      ["a phone over 30 characters", { incomingCallLogId: "CALL", status: "R", userPhoneNumber: `+45 ${"8 ".repeat(14)}`, isAnswered: true }, "data.userPhoneNumber"],
      ["a negative cost", { incomingCallLogId: "CALL", status: "R", callCostInUSDCents: -1, isAnswered: true }, "data.callCostInUSDCents"],
      ["an unknown field", { incomingCallLogId: "CALL", status: "R", isAnswered: true, colour: "red" }, "data.colour"],
      ["a relation object", { incomingCallLog: { _id: "CALL" }, incomingCallLogId: "CALL", status: "R", isAnswered: true }, "data.incomingCallLog"],
      ["a malformed date", { incomingCallLogId: "CALL", status: "R", startedAt: "soon", isAnswered: true }, "data.startedAt"],
    ];
    for (const [what, data, field] of badCreates) {
      it(`rejects a create with ${what}: 400 naming ${field}, nothing written`, async () => {
        const before = (await api("post", "/api/incoming-call-log-item/count").send({})).body.count;
        const body = JSON.parse(JSON.stringify({ data }).replaceAll("CALL", callId));
        const response = await api("post", "/api/incoming-call-log-item").send(body);
        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.match(response.body.error, new RegExp(field.replace(".", "\\.")));
        assert.equal((await api("post", "/api/incoming-call-log-item/count").send({})).body.count, before);
      });
    }

    it("rejects a non-empty miscDataProps and a body without data", async () => {
      assert.equal((await api("post", "/api/incoming-call-log-item").send({ ...seedCreate(), miscDataProps: { x: 1 } })).status, 400);
      assert.equal((await api("post", "/api/incoming-call-log-item").send({})).status, 400);
    });

    it("updates by PUT, POST update-item and GET update-item with the seed 001 body: 200 {}, the values stored, updatedAt moved", async () => {
      const created = await create({ data: { incomingCallLogId: callId, status: "Ringing", isAnswered: false } });
      let previous = await read(created._id);
      const routes = [
        ["put", `/api/incoming-call-log-item/${created._id}`],
        ["post", `/api/incoming-call-log-item/${created._id}/update-item`],
        ["get", `/api/incoming-call-log-item/${created._id.toUpperCase()}/update-item`],
      ] as const;
      for (const [method, path] of routes) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const response = await api(method, path).send(seeds.itemUpdate.request);
        assert.deepEqual([response.status, response.body], [200, {}], `${method} ${path}`);
        const stored = await read(created._id);
        assert.deepEqual([stored.status, stored.isAnswered, stored.callCostInUSDCents, stored.createdAt], ["Example status", true, 100, previous.createdAt]);
        assert.match(stored.updatedAt, ISO_MS);
        assert.ok(stored.updatedAt > previous.updatedAt, `${stored.updatedAt} after ${previous.updatedAt}`);
        previous = stored;
      }
    });

    it("updates to null and with typed wrappers", async () => {
      const created = await create({ data: { incomingCallLogId: callId, status: "Ringing", statusMessage: "busy", callCostInUSDCents: 3, isAnswered: false } });
      const response = await api("put", `/api/incoming-call-log-item/${created._id}`).send({ data: { statusMessage: null, callCostInUSDCents: null, endedAt: { _type: "DateTime", value: "2026-01-01T00:00:00.001Z" } }, miscDataProps: {} });
      assert.equal(response.status, 200);
      const stored = await read(created._id);
      assert.deepEqual([stored.statusMessage, stored.callCostInUSDCents, stored.endedAt], [null, null, "2026-01-01T00:00:00.001Z"]);
    });

    it("rejects an update with an empty data, a null status or an unknown field, and changes nothing", async () => {
      const created = await create({ data: { incomingCallLogId: callId, status: "Ringing", isAnswered: false } });
      const before = await read(created._id);
      for (const [data, field] of [[{}, "data"], [{ status: null }, "data.status"], [{ colour: "red" }, "data.colour"], [{ isAnswered: "yes" }, "data.isAnswered"]] as const) {
        const response = await api("put", `/api/incoming-call-log-item/${created._id}`).send({ data });
        assert.equal(response.status, 400, JSON.stringify(data));
        assert.match(response.body.error, new RegExp(field.replace(".", "\\.")));
      }
      assert.deepEqual(await read(created._id), before);
    });

    it("answers 404 to an update of a missing id", async () => {
      const response = await api("put", "/api/incoming-call-log-item/550e8400-e29b-41d4-a716-446655440000").send(seeds.itemUpdate.request);
      assert.equal(response.status, 404);
    });

    for (const [method, suffix] of [["delete", ""], ["post", "/delete-item"], ["get", "/delete-item"]] as const) {
      it(`deletes by ${method.toUpperCase()} ${suffix || "/:id"}: 200 {}, then 404`, async () => {
        const created = await create();
        const path = `/api/incoming-call-log-item/${created._id}${suffix}`;
        assert.deepEqual([(await api(method, path)).status, (await api(method, path)).status], [200, 404]);
        assert.equal((await api("post", `/api/incoming-call-log-item/${created._id}/get-item`).send({})).status, 404);
      });
    }

    it("deleting an item leaves its call and the other items alone", async () => {
      const keep = await create();
      const gone = await create();
      const response = await api("delete", `/api/incoming-call-log-item/${gone._id}`);
      assert.deepEqual([response.status, response.body], [200, {}]);
      assert.equal((await api("post", `/api/incoming-call-log-item/${keep._id}/get-item`).send({})).status, 200);
      assert.equal((await api("post", `/api/incoming-call-log/${callId}/get-item`).send({})).status, 200);
    });
  });
}
