import assert from "node:assert/strict";
import { connect } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";
import { listen } from "./support/servers.js";

// Every value the contract accepts is storable and served back; everything else is a clear 4xx in
// the dialect's format that writes nothing (SPEC §10). The same answers on both engines.

const INT_MAX = 2147483647;

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: values at and beyond the contract's edges`, () => {
    let h: Harness;
    let projectId: string;
    let ownerKey: string;
    let adminKey: string;
    let callId: string;
    let server: Awaited<ReturnType<typeof listen>>;
    let base: string;
    beforeAll(async () => {
      h = await startHarness(engine);
      server = await listen(h.app);
      base = server.base;
      projectId = (await h.createProject())._id;
      ownerKey = await h.createKey({ projectId, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
      adminKey = await h.createKey({ platform: true });
      callId = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888" })).body._id;
    });
    afterAll(async () => {
      await server?.close();
      await h?.close();
    });

    const rows = async (table: string) => {
      const p = h.dataSource.driver.createParameter("p0", 0);
      return Number(((await h.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE "projectId" = ${p}`, [projectId])) as Array<{ n: number }>)[0]!.n);
    };
    const smsLog = (body: object) => h.http.post("/api/sms-log/get-list").set("ApiKey", ownerKey).send(body);
    const ingestOne = (message: object) => h.internal("post", "/internal/v1/sms", { messages: [{ projectId, toNumber: "+4581808888", ...message }] });
    const createItem = (data: object) => h.http.post("/api/incoming-call-log-item").set("ApiKey", ownerKey).send({ data: { incomingCallLogId: callId, status: "Ringing", isAnswered: false, ...data } });

    it("stores and serves back integers up to 2147483647; one more is a 400 in ingest, item data and queries", async () => {
      const before = await rows("sms");
      const over = await ingestOne({ smsCostInUSDCents: INT_MAX + 1, providerExternalId: "int-over" });
      assert.equal(over.status, 400);
      assert.match(over.body.error, /smsCostInUSDCents/);
      assert.equal(await rows("sms"), before, "nothing written");

      assert.equal((await ingestOne({ smsCostInUSDCents: INT_MAX, providerExternalId: "int-max" })).status, 200);
      const listed = await smsLog({ select: { smsCostInUSDCents: true }, query: { smsCostInUSDCents: INT_MAX } });
      assert.deepEqual([listed.status, listed.body.data.map((r: { smsCostInUSDCents: number }) => r.smsCostInUSDCents)], [200, [INT_MAX]]);

      for (const query of [{ smsCostInUSDCents: { _type: "GreaterThan", value: INT_MAX + 1 } }, { smsCostInUSDCents: [3000000000] }, { smsCostInUSDCents: -1 }]) {
        const response = await h.http.post("/api/sms-log/count").set("ApiKey", ownerKey).send({ query });
        assert.equal(response.status, 400, JSON.stringify(query));
        assert.match(response.body.error, /smsCostInUSDCents/);
      }
      const itemOver = await createItem({ callCostInUSDCents: INT_MAX + 1 });
      assert.equal(itemOver.status, 400);
      assert.equal((await createItem({ callCostInUSDCents: INT_MAX, dialDurationInSeconds: INT_MAX })).status, 200);
    });

    it("stores TelecomX prices up to 999999.999999 exactly; a million is a 400", async () => {
      const before = await rows("sms");
      const million = await ingestOne({ price: 1000000, providerExternalId: "price-over" });
      assert.equal(million.status, 400);
      assert.match(million.body.error, /price/);
      assert.equal(await rows("sms"), before);
      assert.equal((await ingestOne({ price: 999999.999999, cost: 0.000001, wholeSale: 123456.5, providerExternalId: "price-max", senderName: "PriceMax" })).status, 200);
      const listed = await h.http.get(`/sms?customer=${projectId}&from=PriceMax`).set("Authorization", `Bearer ${adminKey}`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.messages.map((m: { price: number; cost: number; wholeSale: number }) => [m.price, m.cost, m.wholeSale]),
        [[999999.999999, 0.000001, 123456.5]],
      );
    });

    it("refuses U+0000 in any string of every dialect, in that dialect's format, writing nothing", async () => {
      const before = await rows("sms");
      const ingest = await ingestOne({ smsText: "a\u0000b", providerExternalId: "nul" });
      assert.deepEqual([ingest.status, ingest.body.error], [400, "messages[0].smsText: must not contain the character U+0000"]);
      assert.equal(await rows("sms"), before);

      const status200 = await smsLog({ query: { toNumber: { _type: "Search", value: "45\u0000" } } });
      assert.deepEqual([status200.status, status200.body.error], [400, "query.toNumber.value: must not contain the character U+0000"]);
      const itemsBefore = await rows("incoming_call_log_item");
      const item = await createItem({ status: "Ring\u0000ing" });
      assert.deepEqual([item.status, item.body.error], [400, "data.status: must not contain the character U+0000"]);
      assert.equal(await rows("incoming_call_log_item"), itemsBefore);

      const telecomx = await h.http.get("/sms?message=a%00b").set("Authorization", `Bearer ${ownerKey}`);
      assert.deepEqual([telecomx.status, telecomx.body.error, telecomx.body.message], [400, "bad_request", "message: must not contain the character U+0000"]);
      const exolve = await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${ownerKey}`).send({ number: "Voice\u0000mail" });
      assert.deepEqual([exolve.status, exolve.body.code], [400, 400]);
      assert.match(exolve.body.message, /^invalid value: number: must not contain the character U\+0000/);
      const key = await h.internal("post", "/internal/v1/projects", { name: "a\u0000" });
      assert.deepEqual([key.status, key.body.error], [400, "name: must not contain the character U+0000"]);
      const pathId = await h.http.post("/api/sms-log/%00/get-item").set("ApiKey", ownerKey).send({});
      assert.equal(pathId.status, 400);
    });

    it("accepts timestamps in years 0001..9999 UTC, refuses the rest, and compares them as instants", async () => {
      const earliest = "0001-01-01T00:00:00.000Z";
      const latest = "9999-12-31T23:59:59.999Z";
      assert.equal((await ingestOne({ createdAt: earliest, providerExternalId: "t-first", senderName: "Edges" })).status, 200);
      assert.equal((await ingestOne({ createdAt: "0999-06-01T00:00:00Z", providerExternalId: "t-999", senderName: "Edges" })).status, 200);
      assert.equal((await ingestOne({ createdAt: latest, providerExternalId: "t-last", senderName: "Edges" })).status, 200);
      const before = await rows("sms");
      for (const createdAt of ["9999-12-31T23:30:00-01:00", "+010000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "0001-01-01T00:10:00+01:00", "0000-12-31T23:59:59Z"]) {
        const response = await ingestOne({ createdAt, providerExternalId: `t-${createdAt}` });
        assert.equal(response.status, 400, createdAt);
      }
      assert.equal(await rows("sms"), before, "nothing written");

      // Served back exactly, and ordered as instants (year 999 before year 2026 before 9999).
      const listed = await smsLog({ select: { createdAt: true }, query: { createdAt: { _type: "LessThan", value: "2000-01-01T00:00:00Z" } }, sort: { createdAt: 1 } });
      assert.deepEqual(listed.body.data.map((r: { createdAt: string }) => r.createdAt), [earliest, "0999-06-01T00:00:00.000Z"]);
      const newest = await smsLog({ select: { createdAt: true }, limit: 1 });
      assert.equal(newest.body.data[0].createdAt, latest);
      const yearTenThousand = await smsLog({ query: { createdAt: { _type: "GreaterThan", value: "9999-12-31T23:00:00-01:00" } } });
      assert.equal(yearTenThousand.status, 400);
      const exolve = await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${ownerKey}`).send({ date_gte: "0001-01-01T00:00:00Z", date_lte: "0001-12-31T00:00:00Z" });
      assert.deepEqual(exolve.body, { count: "1" });
      const exolveOut = await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${ownerKey}`).send({ date_lte: "9999-12-31T23:59:59-00:01" });
      assert.equal(exolveOut.status, 400);
      const month = await h.http.get("/sms?fromDate=0000-12&toDate=0001-01").set("Authorization", `Bearer ${ownerKey}`);
      assert.equal(month.status, 400);

      const itemsBefore = await rows("incoming_call_log_item");
      const item = await createItem({ startedAt: "9999-12-31T23:30:00-01:00" });
      assert.equal(item.status, 400);
      assert.equal(await rows("incoming_call_log_item"), itemsBefore, "the item create writes nothing before answering");
    });

    it("answers a messageId already used in the project, or twice in one batch, 409 naming the message", async () => {
      assert.equal((await ingestOne({ messageId: "424242", providerExternalId: "mid-1" })).status, 200);
      const before = await rows("sms");
      const reused = await h.internal("post", "/internal/v1/sms", {
        messages: [
          { projectId, toNumber: "+4581808888" },
          { projectId, toNumber: "+4581808888", messageId: "424242", providerExternalId: "mid-2" },
        ],
      });
      assert.deepEqual([reused.status, reused.body.error], [409, "messages[1].messageId: 424242 is already used by another message of this project"]);
      const twice = await h.internal("post", "/internal/v1/sms", {
        messages: [
          { projectId, toNumber: "+4581808888", messageId: "77" },
          { projectId, toNumber: "+4581808889", messageId: "77" },
        ],
      });
      assert.deepEqual([twice.status, twice.body.error], [409, "messages[1].messageId: 77 is also the messageId of messages[0]"]);
      assert.equal(await rows("sms"), before, "nothing written");
      // A replay of the same message (same idempotency key) is a duplicate, not a conflict.
      const replay = await ingestOne({ messageId: "424242", providerExternalId: "mid-1" });
      assert.deepEqual([replay.status, replay.body.data[0].duplicate, replay.body.data[0].messageId], [200, true, "424242"]);
      const tooLarge = await ingestOne({ messageId: "9223372036854775808" });
      assert.deepEqual([tooLarge.status, tooLarge.body.error], [400, "messages[0].messageId: must be at most 9223372036854775807"]);
      // The ids the server makes skip the ones imported into the project, even those it would make next.
      const probe = BigInt((await ingestOne({ providerExternalId: "mid-probe" })).body.data[0].messageId);
      const ahead = Array.from({ length: 5 }, (_, i) => String(probe + 1n + BigInt(i)));
      const imported = await h.internal("post", "/internal/v1/sms", { messages: ahead.map((messageId, i) => ({ projectId, toNumber: "+4581808888", messageId, providerExternalId: `mid-ahead-${i}` })) });
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      const after = await h.internal("post", "/internal/v1/sms", { messages: Array.from({ length: 3 }, () => ({ projectId, toNumber: "+4581808888" })) });
      assert.equal(after.status, 200, JSON.stringify(after.body));
      const made = after.body.data.map((result: { messageId: string }) => result.messageId);
      assert.deepEqual(made.filter((id: string) => ahead.includes(id)), []);
      assert.equal(new Set(made).size, 3);
      // And an import of the largest id does not exhaust the server's ids.
      assert.equal((await ingestOne({ messageId: "9223372036854775807", providerExternalId: "mid-max" })).status, 200);
      assert.equal((await ingestOne({ providerExternalId: "mid-after-max" })).status, 200);
    });

    it("decodes gzip, deflate and br bodies; undecodable data is a 400 and an unknown encoding a 415", async () => {
      const body = JSON.stringify({ messages: [{ projectId, toNumber: "+4581808888", providerExternalId: "gz-1" }] });
      // Through fetch: supertest would serialise a Buffer sent as JSON.
      const send = async (encoding: string, payload: Buffer | string) => {
        const response = await fetch(`${base}/internal/v1/sms`, {
          method: "POST",
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "Content-Encoding": encoding },
          body: payload,
        });
        return { status: response.status, body: (await response.json()) as { code?: string } };
      };
      const gzip = await send("gzip", gzipSync(body));
      assert.equal(gzip.status, 200, JSON.stringify(gzip.body));
      assert.equal((await send("deflate", deflateSync(body.replace("gz-1", "gz-2")))).status, 200);
      assert.equal((await send("br", brotliCompressSync(body.replace("gz-1", "gz-3")))).status, 200);
      const before = await rows("sms");
      const bogus = await send("gzip", body);
      assert.deepEqual([bogus.status, bogus.body.code], [400, "invalid_body"]);
      const unknown = await send("compress-x", body);
      assert.equal(unknown.status, 415);
      const exolve = await h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${ownerKey}`).set("Content-Type", "application/json").set("Content-Encoding", "gzip").send("{}");
      assert.deepEqual([exolve.status, exolve.body.code], [400, 400]);
      assert.equal(await rows("sms"), before);
    });

    it("puts Allow on every 405, and TelecomX's code is method_not_allowed", async () => {
      const telecomx = await h.http.post("/sms").set("Authorization", `Bearer ${ownerKey}`).send({});
      assert.deepEqual([telecomx.status, telecomx.body.error, telecomx.headers.allow], [405, "method_not_allowed", "GET"]);
      const status200 = await h.http.put("/api/sms-log/get-list").set("ApiKey", ownerKey).send({});
      assert.equal(status200.status, 405);
      assert.match(status200.headers.allow ?? "", /POST/);
      const readOnly = await h.http.post("/api/sms-log").set("ApiKey", ownerKey).send({ data: {} });
      assert.equal(readOnly.status, 405);
      assert.ok(readOnly.headers.allow !== undefined);
      const internal = await h.http.put("/internal/v1/sms").set("Authorization", "Bearer test-admin-token-0123456789abcdef0123456789").send({});
      assert.deepEqual([internal.status, internal.headers.allow], [405, "POST"]);
    });

    it("ignores TelecomX query parameters it does not define, but not bad values of those it does", async () => {
      assert.equal((await h.http.get("/sms?_=1700000000&utm_source=app").set("Authorization", `Bearer ${ownerKey}`)).status, 200);
      assert.equal((await h.http.get("/sms?_=1&limit=0").set("Authorization", `Bearer ${ownerKey}`)).status, 400);
      assert.equal((await h.http.get("/sms?sort=NEWEST").set("Authorization", `Bearer ${ownerKey}`)).status, 400);
    });

    it("refuses a call that ends before it starts and an empty call update", async () => {
      const early = await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888", startedAt: "2026-01-01T10:00:00Z", endedAt: "2026-01-01T09:59:59Z" });
      assert.equal(early.status, 400);
      assert.match(early.body.error, /^endedAt: must not be before/);
      const call = await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888", startedAt: "2026-01-01T10:00:00Z" });
      const endsEarly = await h.internal("post", `/internal/v1/incoming-call-logs/${call.body._id}/update`, { endedAt: "2026-01-01T09:00:00Z" });
      assert.equal(endsEarly.status, 400);
      const empty = await h.internal("post", `/internal/v1/incoming-call-logs/${call.body._id}/update`, {});
      assert.equal(empty.status, 400);
      assert.equal((await h.internal("post", `/internal/v1/incoming-call-logs/${call.body._id}/update`, { endedAt: "2026-01-01T10:05:00Z" })).status, 200);
    });
  });
}

describe("requests the HTTP parser rejects", () => {
  let server: Awaited<ReturnType<typeof listen>>;
  let port: number;
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testEngines()[0]!);
    server = await listen(h.app);
    port = Number(new URL(server.base).port);
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end(request));
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk.toString()));
      socket.on("end", () => resolve(answer));
      socket.on("error", reject);
    });
  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: string };

  it("answers oversized headers 431 with a JSON body", async () => {
    const answer = await raw(`GET /sms HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20000)}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    assert.match(answer, /Content-Type: application\/json/i);
    assert.equal(bodyOf(answer).error, "the request headers are too large");
  });

  it("answers a malformed request line 400 with a JSON body", async () => {
    const answer = await raw("GARBAGE\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.equal(bodyOf(answer).error, "the HTTP request is malformed");
  });

  it("answers an HTTP/1.1 request without Host 400 with a JSON body", async () => {
    const answer = await raw("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.equal(bodyOf(answer).error, "the Host header is missing");
  });
});
