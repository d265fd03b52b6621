import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// TelecomX `GET /sms` (seed 002, SPEC §5 and §9 "TelecomX"): the seed example, parameters,
// filters and order. The visibility matrix is in telecomx-visibility.test.ts.

const SEED_MESSAGE = {
  type: "SMS",
  message: "This is a test",
  from: "Voicemail",
  to: ["+4581808888"],
  sent: "2014-01-01T12:34:56.789Z",
  fromName: "Anders And",
  toName: ["Rip"],
  cost: 0.5,
  price: 0.75,
  wholeSale: 0.65,
};

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: TelecomX GET /sms`, () => {
    let h: Harness;
    let adminKey: string;
    beforeAll(async () => {
      h = await startHarness(engine);
      adminKey = await h.createKey({ platform: true });
    });
    afterAll(() => h?.close());

    /** A fresh customer with an OWNER key, so each test sees only its own rows. */
    async function customer(): Promise<{ projectId: string; key: string }> {
      const project = await h.createProject();
      return { projectId: project._id, key: await h.createKey({ projectId: project._id, accessLevel: "OWNER" }) };
    }
    const list = (key: string, query = "") => h.http.get(`/sms${query}`).set("Authorization", `Bearer ${key}`);
    const ids = (response: { body: { messages: Array<{ _id: string }> } }) => response.body.messages.map((m) => m._id);

    it("reproduces the seed 002 response example for an ADMIN key with names=true", async () => {
      const { projectId } = await customer();
      const [ingested] = await h.ingest([
        {
          projectId,
          senderName: "Voicemail",
          toNumber: "+4581808888",
          smsText: "This is a test",
          cost: 0.5,
          wholeSale: 0.65,
          price: 0.75,
          sentAt: "2014-01-01T12:34:56.789Z",
          fromName: "Anders And",
          toName: "Rip",
        },
      ]);
      const response = await list(adminKey, `?customer=${projectId}&names=true`);
      assert.equal(response.status, 200);
      // deepEqual: exactly the seed's properties, no more (only the ids differ).
      assert.deepEqual(response.body, { offset: 0, limit: 100, total: 1, messages: [{ _id: ingested!._id, customer: projectId, ...SEED_MESSAGE }] });
    });

    it("without names=true, fromName, toName and groupName are absent", async () => {
      const { projectId, key } = await customer();
      await h.ingest([{ projectId, toNumber: "+4581808888", fromName: "A", toName: "B", groupName: "G" }]);
      const plain = await list(key);
      assert.equal(plain.status, 200);
      for (const name of ["fromName", "toName", "groupName"]) assert.equal(name in plain.body.messages[0], false, name);
      const named = await list(key, "?names=true");
      assert.equal(named.body.messages[0].groupName, "G");
      assert.deepEqual(named.body.messages[0].toName, ["B"]);
    });

    it("omits properties without a value but always carries sent (null while unsent)", async () => {
      const { projectId, key } = await customer();
      await h.ingest([{ projectId, fromNumber: "+45 70 10 20 30", toNumber: "+45 81 80 88 88" }]);
      const response = await list(key, "?names=true");
      const [message] = response.body.messages;
      assert.deepEqual(Object.keys(message).sort(), ["_id", "customer", "from", "sent", "to", "type"]);
      assert.equal(message.sent, null);
      assert.equal(message.from, "+4570102030");
      assert.deepEqual(message.to, ["+4581808888"]);
    });

    it("lists only outgoing SMS and MMS", async () => {
      const { projectId, key } = await customer();
      const [sms, mms] = await h.ingest([
        { projectId, toNumber: "+4581808888", type: "SMS" },
        { projectId, toNumber: "+4581808888", type: "MMS", smsText: "aGVsbG8=" },
        { projectId, toNumber: "+4581808888", direction: "incoming" },
      ]);
      const response = await list(key);
      assert.equal(response.body.total, 2);
      assert.deepEqual(ids(response).sort(), [sms!._id, mms!._id].sort());
      assert.equal(response.body.messages.find((m: { _id: string }) => m._id === mms!._id).message, "aGVsbG8=");
    });

    it("rejects invalid parameters with 400 in the TelecomX error body", async () => {
      const { key } = await customer();
      for (const query of ["?limit=0", "?limit=1001", "?limit=abc", "?offset=-1", "?offset=x", "?sort=NEWEST", "?sort=sent", "?names=maybe", "?fromDate=2024-13", "?toDate=2024-3", "?to=abc", "?fromDate=0000-01", "?fromDate=2024-05&toDate=2024-04"]) {
        const response = await list(key, query);
        assert.equal(response.status, 400, query);
        assert.equal(response.body.error, "bad_request", query);
        assert.equal(typeof response.body.message, "string", query);
      }
      assert.equal((await list(key, "?limit=1000")).status, 200);
      assert.equal((await list(key, "?limit=1")).status, 200);
    });

    it("pages with offset and limit, total counting every match", async () => {
      const { projectId, key } = await customer();
      const created = await h.ingest(Array.from({ length: 5 }, (_, i) => ({ projectId, toNumber: "+4581808888", createdAt: `2024-01-0${i + 1}T00:00:00.000Z` })));
      const newestFirst = created.map((r) => r._id).reverse();
      const page = await list(key, "?offset=1&limit=2");
      assert.deepEqual({ offset: page.body.offset, limit: page.body.limit, total: page.body.total }, { offset: 1, limit: 2, total: 5 });
      assert.deepEqual(ids(page), newestFirst.slice(1, 3));
      const beyond = await list(key, "?offset=10");
      assert.deepEqual({ total: beyond.body.total, messages: beyond.body.messages }, { total: 5, messages: [] });
    });

    it("includes both ends of the month range and nothing outside it", async () => {
      const { projectId, key } = await customer();
      const [lastOfFeb, firstOfMarch, lastOfMarch, firstOfApril] = await h.ingest(
        ["2024-02-29T23:59:59.999Z", "2024-03-01T00:00:00.000Z", "2024-03-31T23:59:59.999Z", "2024-04-01T00:00:00.000Z"].map((createdAt) => ({
          projectId,
          toNumber: "+4581808888",
          createdAt,
        })),
      );
      assert.deepEqual(ids(await list(key, "?toDate=2024-03")), [lastOfMarch!._id, firstOfMarch!._id, lastOfFeb!._id]);
      assert.deepEqual(ids(await list(key, "?fromDate=2024-03")), [firstOfApril!._id, lastOfMarch!._id, firstOfMarch!._id]);
      assert.deepEqual(ids(await list(key, "?fromDate=2024-03&toDate=2024-03")), [lastOfMarch!._id, firstOfMarch!._id]);
      const april = await list(key, "?fromDate=2024-04&toDate=2024-04");
      assert.deepEqual({ total: april.body.total, ids: ids(april) }, { total: 1, ids: [firstOfApril!._id] });
    });

    it("orders newest first on the timestamp sort names, nulls last, numeric id as tie-breaker", async () => {
      const { projectId, key } = await customer();
      const [a, b, c] = await h.ingest([
        { projectId, toNumber: "+4581808888", createdAt: "2024-01-10T00:00:00.000Z", sentAt: "2024-03-05T00:00:00.000Z" },
        { projectId, toNumber: "+4581808888", createdAt: "2024-02-10T00:00:00.000Z" },
        { projectId, toNumber: "+4581808888", createdAt: "2024-03-10T00:00:00.000Z", sentAt: "2024-01-05T00:00:00.000Z", invoicedAt: "2024-04-01T00:00:00.000Z" },
      ]);
      assert.deepEqual(ids(await list(key)), [c!._id, b!._id, a!._id]);
      assert.deepEqual(ids(await list(key, "?sort=CREATED")), [c!._id, b!._id, a!._id]);
      assert.deepEqual(ids(await list(key, "?sort=SENT")), [a!._id, c!._id, b!._id]);
      // a and b have no invoicedAt: last, the newer numeric id first.
      assert.deepEqual(ids(await list(key, "?sort=INVOICED")), [c!._id, b!._id, a!._id]);
      // With a date filter, rows without that timestamp are excluded.
      const sent = await list(key, "?sort=SENT&fromDate=2024-01");
      assert.deepEqual({ total: sent.body.total, ids: ids(sent) }, { total: 2, ids: [a!._id, c!._id] });
      const invoiced = await list(key, "?sort=INVOICED&toDate=2030-12");
      assert.deepEqual({ total: invoiced.body.total, ids: ids(invoiced) }, { total: 1, ids: [c!._id] });
      const created = await list(key, "?sort=SENT&fromDate=2024-03&toDate=2024-03");
      assert.deepEqual(ids(created), [a!._id]);
    });

    it("breaks timestamp ties by the numeric id, compared as a number", async () => {
      const { projectId, key } = await customer();
      const at = "2024-05-05T05:05:05.005Z";
      const [nine, ten, big] = await h.ingest([
        { projectId, toNumber: "+4581808888", createdAt: at, messageId: "9" },
        { projectId, toNumber: "+4581808888", createdAt: at, messageId: "10" },
        { projectId, toNumber: "+4581808888", createdAt: at, messageId: "9223372036854775807" },
      ]);
      assert.deepEqual(ids(await list(key)), [big!._id, ten!._id, nine!._id]);
    });

    it("matches `to` through its digits, a raw unencoded + included", async () => {
      const { projectId, key } = await customer();
      const [spaced] = await h.ingest([
        { projectId, toNumber: "+45 81 80 88 88" },
        { projectId, toNumber: "+4581808889" },
      ]);
      for (const query of ["?to=+4581808888", "?to=%2B4581808888", "?to=4581808888", "?to=%2B45%2081%2080%2088%2088"]) {
        const response = await list(key, query);
        assert.equal(response.status, 200, query);
        assert.deepEqual(ids(response), [spaced!._id], query);
      }
    });

    it("matches `from` by number digits, all-digit sender name, or sender name case-insensitively", async () => {
      const { projectId, key } = await customer();
      const [byNumber, byName, byDigitName] = await h.ingest([
        { projectId, toNumber: "+4581808888", fromNumber: "+45 70 10 20 30" },
        { projectId, toNumber: "+4581808888", senderName: "Voicemail" },
        { projectId, toNumber: "+4581808888", senderName: "4570102030" },
      ]);
      assert.deepEqual(ids(await list(key, "?from=%2B4570102030")).sort(), [byNumber!._id, byDigitName!._id].sort());
      assert.deepEqual(ids(await list(key, "?from=+45%2070%2010%2020%2030")).sort(), [byNumber!._id, byDigitName!._id].sort());
      assert.deepEqual(ids(await list(key, "?from=VOICEMAIL")), [byName!._id]);
      assert.deepEqual(ids(await list(key, "?from=Voice")), []);
    });

    it("filters by message text case-insensitively with % and _ literal", async () => {
      const { projectId, key } = await customer();
      const [discount, plain] = await h.ingest([
        { projectId, toNumber: "+4581808888", smsText: "Save 50% TODAY_only" },
        { projectId, toNumber: "+4581808888", smsText: "Save 50 today only" },
        { projectId, toNumber: "+4581808888" },
      ]);
      assert.deepEqual(ids(await list(key, "?message=50%25")), [discount!._id]);
      assert.deepEqual(ids(await list(key, "?message=today_")), [discount!._id]);
      assert.deepEqual(ids(await list(key, "?message=TODAY")).sort(), [discount!._id, plain!._id].sort());
      assert.deepEqual(ids(await list(key, "?message=nothing")), []);
    });
  });
}
