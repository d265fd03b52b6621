import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

/** Seed 003's request and response, as shipped with the contracts. */
const seed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@commlog/contracts/seed-examples.json"), "utf8")).exolve.getCount as {
  request: Record<string, unknown>;
  response: unknown;
};

// Exolve `POST /messaging/v1/GetCount` (seed 003, SPEC §6 and §9 "Exolve").

const PATH = "/messaging/v1/GetCount";

const ENUMS = {
  direction: [["DIRECTION_INCOMING", 1, { direction: "incoming" }], ["DIRECTION_OUTGOING", 2, { direction: "outgoing" }]],
  delivery_status: [
    ["DELIVERY_STATUS_QUEUED", 1, { deliveryStatus: "queued" }],
    ["DELIVERY_STATUS_TRANSMITTED", 2, { deliveryStatus: "transmitted" }],
    ["DELIVERY_STATUS_DELIVERED", 3, { deliveryStatus: "delivered" }],
    ["DELIVERY_STATUS_FAILED", 4, { deliveryStatus: "failed" }],
  ],
  billing_status: [
    ["BILLING_STATUS_PREBILLED", 1, { billingStatus: "prebilled" }],
    ["BILLING_STATUS_BILLED", 2, { billingStatus: "billed" }],
    ["BILLING_STATUS_REFUNDING", 3, { billingStatus: "refunding" }],
    ["BILLING_STATUS_UNDERFUNDED", 4, { billingStatus: "underfunded" }],
    ["BILLING_STATUS_REFUNDED", 5, { billingStatus: "refunded" }],
    ["BILLING_STATUS_FAILED", 6, { billingStatus: "failed" }],
    ["BILLING_STATUS_AUTHORIZED", 7, { billingStatus: "authorized" }],
  ],
  // The combined status is derived at ingest (SPEC §9 "Status mapping"); each fixture yields exactly one.
  status: [
    ["STATUS_QUEUED", 1, { deliveryStatus: "queued" }],
    ["STATUS_TRANSMITTED", 2, { deliveryStatus: "transmitted" }],
    ["STATUS_DELIVERED", 3, { deliveryStatus: "delivered" }],
    ["STATUS_FAILED", 4, { deliveryStatus: "failed" }],
    ["STATUS_UNDERFUNDED", 5, { billingStatus: "underfunded" }],
    ["STATUS_PROHIBITED", 6, { prohibited: true }],
  ],
} as const;

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Exolve GetCount`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(engine);
    });
    afterAll(() => h?.close());

    /** A fresh application (project) with an SMS Log reader key. */
    async function application(): Promise<{ projectId: string; key: string }> {
      const project = await h.createProject();
      return { projectId: project._id, key: await h.createKey({ projectId: project._id, permissions: ["ReadSmsLog"] }) };
    }
    const count = (key: string, body?: unknown) => {
      const request = h.http.post(PATH).set("Authorization", `Bearer ${key}`);
      return body === undefined ? request : request.send(body as object);
    };
    const counted = async (key: string, body?: unknown) => {
      const response = await count(key, body);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.count as string;
    };

    it("reproduces the seed 003 request and response", async () => {
      const { projectId, key } = await application();
      const [message] = await h.ingest([
        {
          projectId,
          direction: "outgoing",
          fromNumber: "+7 967 888-00-33",
          toNumber: "+79161234567",
          deliveryStatus: "delivered",
          billingStatus: "billed",
          createdAt: "2023-01-20T11:35:00.000Z",
        },
        // Same filters but outside the dates, and a second message inside them that differs.
        { projectId, fromNumber: "79678880033", toNumber: "+79161234567", deliveryStatus: "delivered", billingStatus: "billed", createdAt: "2023-01-21T00:00:00.000Z" },
        { projectId, fromNumber: "79678880033", toNumber: "+79161234567", deliveryStatus: "transmitted", billingStatus: "billed", createdAt: "2023-01-20T11:35:00.000Z" },
      ]);
      // The seed's own request, with its message_id pointing at the message just ingested.
      const response = await count(key, { ...seed.request, message_id: message!.messageId });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, seed.response);
      const { message_id: _ignored, ...withoutId } = { message_id: 0, number: "79678880033", status: "STATUS_DELIVERED", date_gte: "2023-01-20T11:30:01.335Z", date_lte: "2023-01-20T11:39:01.335Z" };
      assert.equal(await counted(key, withoutId), "1");
    });

    it("an empty or absent body counts every SMS of the application, both directions", async () => {
      const { projectId, key } = await application();
      await h.ingest([
        { projectId, toNumber: "+4581808888" },
        { projectId, toNumber: "+4581808888", direction: "incoming" },
        { projectId, toNumber: "+4581808888", type: "MMS" },
      ]);
      assert.equal(await counted(key, {}), "3");
      assert.equal(await counted(key), "3");
      const empty = await h.http.post(PATH).set("Authorization", `Bearer ${key}`).set("Content-Type", "application/json").send("");
      assert.deepEqual({ status: empty.status, body: empty.body }, { status: 200, body: { count: "3" } });
    });

    it("a missing Content-Type is read as JSON; parameters on application/json are fine", async () => {
      const { projectId, key } = await application();
      await h.ingest([{ projectId, toNumber: "+4581808888", direction: "incoming" }, { projectId, toNumber: "+4581808888" }]);
      const raw = await h.http.post(PATH).set("Authorization", `Bearer ${key}`).unset("Content-Type").send(Buffer.from('{"direction":"DIRECTION_INCOMING"}'));
      assert.deepEqual({ status: raw.status, body: raw.body }, { status: 200, body: { count: "1" } });
      const charset = await h.http.post(PATH).set("Authorization", `Bearer ${key}`).set("Content-Type", "application/json;charset=UTF-8").send('{"direction":2}');
      assert.deepEqual(charset.body, { count: "1" });
    });

    for (const [field, entries] of Object.entries(ENUMS)) {
      it(`filters by ${field} by name and by number; 0 and *_UNSPECIFIED are unset`, async () => {
        const { projectId, key } = await application();
        await h.ingest(entries.map(([, , fixture]) => ({ projectId, toNumber: "+4581808888", ...fixture })));
        for (const [name, number] of entries) {
          assert.equal(await counted(key, { [field]: name }), "1", name);
          assert.equal(await counted(key, { [field]: number }), "1", `${field}=${number}`);
        }
        const unspecified = `${field === "status" ? "STATUS" : field.toUpperCase()}_UNSPECIFIED`;
        for (const unset of [0, unspecified, null]) assert.equal(await counted(key, { [field]: unset }), String(entries.length), `${field}=${unset}`);
      });
    }

    it("accepts the lowerCamelCase field names", async () => {
      const { projectId, key } = await application();
      const [row] = await h.ingest([{ projectId, toNumber: "+4581808888", deliveryStatus: "delivered", billingStatus: "billed", createdAt: "2024-01-01T00:00:00.000Z" }, { projectId, toNumber: "+4581808888" }]);
      assert.equal(await counted(key, { messageId: row!.messageId }), "1");
      assert.equal(await counted(key, { deliveryStatus: 3, billingStatus: "BILLING_STATUS_BILLED" }), "1");
      assert.equal(await counted(key, { dateGte: "2024-01-01T00:00:00Z", dateLte: "2024-01-01T00:00:00Z" }), "1");
    });

    it("matches number against the from-number, to-number or sender name, by digits", async () => {
      const { projectId, key } = await application();
      await h.ingest([
        { projectId, fromNumber: "+7 967 888-00-33", toNumber: "+4581808888" },
        { projectId, toNumber: "79678880033", direction: "incoming", fromNumber: "+4581808888" },
        { projectId, senderName: "MTS", toNumber: "+4581808888" },
        { projectId, senderName: "79678880033", toNumber: "+4581808888" },
      ]);
      assert.equal(await counted(key, { number: "79678880033" }), "3");
      assert.equal(await counted(key, { number: "+7 (967) 888-00-33" }), "2"); // digits match both number rows; the all-digit sender name is matched verbatim only
      assert.equal(await counted(key, { number: "mts" }), "1");
      assert.equal(await counted(key, { number: "+4581808888" }), "4");
      assert.equal(await counted(key, { number: "" }), "4");
    });

    it("date_gte and date_lte are inclusive, with offsets and fractional seconds", async () => {
      const { projectId, key } = await application();
      await h.ingest(
        ["2023-01-20T11:30:01.334Z", "2023-01-20T11:30:01.335Z", "2023-01-20T11:39:01.335Z", "2023-01-20T11:39:01.336Z"].map((createdAt) => ({
          projectId,
          toNumber: "+4581808888",
          createdAt,
        })),
      );
      const between = (date_gte: string, date_lte: string) => counted(key, { date_gte, date_lte });
      assert.equal(await between("2023-01-20T11:30:01.335Z", "2023-01-20T11:39:01.335Z"), "2");
      assert.equal(await between("2023-01-20T14:30:01.335+03:00", "2023-01-20T14:39:01.335+03:00"), "2");
      assert.equal(await between("2023-01-20T11:30:01.3345Z", "2023-01-20T11:39:01.3359Z"), "2"); // sub-ms digits round inward
      assert.equal(await between("2023-01-20T11:30:01.334Z", "2023-01-20T11:39:01.336Z"), "4");
      assert.equal(await between("2023-01-20T11:30:01Z", "2023-01-20T11:39:01Z"), "2");
      assert.equal(await counted(key, { date_gte: "2023-01-20T11:39:01.336Z" }), "1");
      assert.equal(await counted(key, { date_lte: "2023-01-20T08:30:01.334-03:00" }), "1");
      assert.equal(await counted(key, { date_gte: "2023-01-20T11:39:01.336Z", date_lte: "2023-01-20T11:30:01.334Z" }), "0");
    });

    it("offset and limit count a window: min(max(total - offset, 0), limit)", async () => {
      const { projectId, key } = await application();
      await h.ingest(Array.from({ length: 5 }, () => ({ projectId, toNumber: "+4581808888" })));
      const cases: Array<[unknown, string]> = [
        [{ limit: 2 }, "2"],
        [{ limit: "10000" }, "5"],
        [{ offset: 3 }, "2"],
        [{ offset: "3", limit: "1" }, "1"],
        [{ offset: 5 }, "0"],
        [{ offset: "18446744073709551615" }, "0"],
        [{ limit: 0, offset: 0 }, "5"],
        [{ limit: 4294967295 }, "5"],
      ];
      for (const [body, expected] of cases) assert.equal(await counted(key, body), expected, JSON.stringify(body));
    });

    it("keeps a message_id beyond 2^53 exact, up to the ledger's 2^63-1", async () => {
      const { projectId, key } = await application();
      await h.ingest([
        { projectId, toNumber: "+4581808888", messageId: "9223372036854775807" },
        { projectId, toNumber: "+4581808888", messageId: "9223372036854775806" },
        { projectId, toNumber: "+4581808888", messageId: "9007199254740993" },
        { projectId, toNumber: "+4581808888", messageId: "9007199254740992" },
      ]);
      assert.equal(await counted(key, { message_id: "9223372036854775807" }), "1");
      // A valid uint64 above what the ledger stores matches nothing (SPEC §10).
      assert.equal(await counted(key, { message_id: "18446744073709551615" }), "0");
      assert.equal(await counted(key, { message_id: "9007199254740993" }), "1");
      assert.equal(await counted(key, { message_id: "00009007199254740993" }), "1");
      assert.equal(await counted(key, { message_id: "9007199254740994" }), "0");
      // A JSON number past 2^53 may already have lost digits: it is refused, not rounded.
      const unsafe = await count(key, { message_id: 9007199254740993 });
      assert.deepEqual([unsafe.status, /^invalid value/.test(unsafe.body.message)], [400, true]);
    });

    it("answers each documented 400 message", async () => {
      const { key } = await application();
      const cases: Array<[string | object, RegExp]> = [
        ["{not json", /^syntax error/],
        ["[1, 2]", /^syntax error/],
        ['"text"', /^syntax error/],
        ["42", /^syntax error/],
        ["null", /^syntax error/],
        [{ message_id: "1", messageId: "1" }, /^syntax error/],
        [{ direction: "DIRECTION_SIDEWAYS" }, /^invalid value/],
        [{ direction: 3 }, /^invalid value/],
        [{ status: 7 }, /^invalid value/],
        [{ delivery_status: "STATUS_DELIVERED" }, /^invalid value/],
        [{ billing_status: 8 }, /^invalid value/],
        [{ limit: 4294967296 }, /^invalid value/],
        [{ limit: "4294967296" }, /^invalid value/],
        [{ limit: -1 }, /^invalid value/],
        [{ offset: "18446744073709551616" }, /^invalid value/],
        [{ offset: 1.5 }, /^invalid value/],
        [{ message_id: "abc" }, /^invalid value/],
        [{ message_id: "18446744073709551616" }, /^invalid value/],
        [{ date_gte: "2023-01-20" }, /^invalid value/],
        [{ date_lte: "2023-02-30T00:00:00Z" }, /^invalid value/],
        [{ date_gte: "yesterday" }, /^invalid value/],
        [{ number: 79678880033 }, /^invalid value/],
      ];
      for (const [body, message] of cases) {
        const request = h.http.post(PATH).set("Authorization", `Bearer ${key}`).set("Content-Type", "application/json");
        const response = await request.send(typeof body === "string" ? body : JSON.stringify(body));
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.body.code, 400);
        assert.match(response.body.message, message, `${JSON.stringify(body)} -> ${response.body.message}`);
      }
    });

    // TODO(http/errors.ts): the validator reports an unknown body field through the emitted
    // `unevaluatedProperties: {not: {}}` as keyword `not`, which toProblem() maps to "invalid value".
    it("answers \"unknown field\" to a field that is neither spelling of a request field", async () => {
      const { key } = await application();
      for (const body of [{ bogus: 1 }, { Message_Id: "1" }, { message_id: "1", extra: true }]) {
        const response = await count(key, body);
        assert.equal(response.status, 400);
        assert.match(response.body.message, /^unknown field/, JSON.stringify(body));
      }
    });

    it("answers 401 \"authorization token is invalid\" to every key that may not count SMS", async () => {
      const { projectId } = await application();
      const reseller = await h.createReseller();
      const keys = [
        undefined,
        "clk_garbled",
        await h.createKey({ resellerId: reseller._id }),
        await h.createKey({ platform: true }),
        await h.createKey({ projectId, accessLevel: "OWNER" }),
        await h.createKey({ projectId, permissions: ["ReadIncomingCallLogItem"] }),
      ];
      for (const key of keys) {
        const request = h.http.post(PATH).send({});
        const response = await (key === undefined ? request : request.set("Authorization", `Bearer ${key}`));
        assert.equal(response.status, 401, String(key));
        assert.deepEqual(response.body, { code: 401, message: "authorization token is invalid" });
      }
      for (const permission of ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadAllProjectResources"]) {
        assert.equal(await counted(await h.createKey({ projectId, permissions: [permission] }), {}), "0", permission);
      }
    });

    it("answers 404 \"page not found\" to other paths under /messaging", async () => {
      const { key } = await application();
      for (const path of ["/messaging/v1/Nope", "/messaging/v1/getcount", "/messaging/v1/GetCount/", "/messaging"]) {
        const response = await h.http.post(path).set("Authorization", `Bearer ${key}`).send({});
        assert.equal(response.status, 404, path);
        assert.deepEqual(response.body, { code: 404, message: "page not found" });
      }
    });

    it("never counts another application's messages", async () => {
      const mine = await application();
      const theirs = await application();
      const [foreign] = await h.ingest([
        { projectId: theirs.projectId, toNumber: "+4581808888", senderName: "Theirs" },
        { projectId: mine.projectId, toNumber: "+4581808889" },
      ]);
      assert.equal(await counted(mine.key, {}), "1");
      assert.equal(await counted(mine.key, { message_id: foreign!.messageId }), "0");
      assert.equal(await counted(mine.key, { number: "+4581808888" }), "0");
      assert.equal(await counted(mine.key, { number: "Theirs" }), "0");
      assert.equal(await counted(theirs.key, {}), "1");
    });
  });
}
