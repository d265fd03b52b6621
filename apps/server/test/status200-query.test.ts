import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// The query language against every field kind: Incoming Call Log Item has them all (uuid, date,
// text, phone, integer, boolean); SMS Log adds a required phone and free message text.

const T0 = "2026-02-03T04:05:06.100Z";
const T1 = "2026-02-03T04:05:06.101Z"; // one millisecond later
const T2 = "2026-02-03T04:05:06.102Z";
const USER = "d4e5f6a7-89ab-23de-f456-456789abcdef";

type Case = [string, object, string[]];

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 query language`, () => {
    let h: Harness;
    let key: string;
    let call1: string;
    let call2: string;
    const ids = new Map<string, string>(); // name -> _id
    const names = new Map<string, string>(); // _id -> name

    const api = (path: string, body: object) => h.http.post(path).set("ApiKey", key).send(body);
    /** The fixture names a query selects, checked against count as well. */
    async function matches(resource: string, query: object): Promise<string[]> {
      const response = await api(`${resource}/get-list?limit=100`, { query });
      assert.equal(response.status, 200, `${JSON.stringify(query)}: ${JSON.stringify(response.body)}`);
      const count = await api(`${resource}/count`, { query });
      assert.equal(count.body.count, response.body.count, "count equals the list total");
      return response.body.data.map((o: { _id: string }) => names.get(o._id)).sort();
    }

    beforeAll(async () => {
      h = await startHarness(engine);
      const projectId = (await h.createProject())._id;
      key = await h.createKey({ projectId, permissions: ["ProjectOwner"] });
      const call = async (callerPhoneNumber: string) => (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber })).body._id as string;
      call1 = await call("+4581808888");
      call2 = await call("+4581808889");
      const items: Array<[string, object]> = [
        ["i1", { incomingCallLogId: call1, status: "Ringing", statusMessage: "Left 100% of a voicemail", userPhoneNumber: "+45 81 80 88 88", dialDurationInSeconds: 10, callCostInUSDCents: 5, startedAt: T0, isAnswered: false, userId: USER }],
        ["i2", { incomingCallLogId: call1, status: "Connected", statusMessage: "a_b", userPhoneNumber: "+4581808889", dialDurationInSeconds: 20, startedAt: T1, isAnswered: true }],
        ["i3", { incomingCallLogId: call2, status: "NoAnswer", callCostInUSDCents: 7, startedAt: { _type: "DateTime", value: T2 }, isAnswered: false }],
        ["i4", { incomingCallLogId: call2, status: "ringing", statusMessage: "axb \\ back", isAnswered: true }],
      ];
      for (const [name, data] of items) {
        const response = await api("/api/incoming-call-log-item", { data });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        ids.set(name, response.body._id);
        names.set(response.body._id, name);
      }
      const sms = await h.ingest([
        { projectId, toNumber: "+45 81 80 88 88", fromNumber: "+1 (555) 010-0000", smsText: "100% sure", createdAt: T0 },
        { projectId, toNumber: "4581808889", smsText: "100 percent", createdAt: T1 },
        { projectId, toNumber: "+44 20 7946 0000", smsText: "snake_case", createdAt: T2 },
        { projectId, toNumber: "+1-555-123-4567", smsText: "snakeXcase", createdAt: T2 },
      ]);
      sms.forEach((s, i) => {
        ids.set(`s${i + 1}`, s._id);
        names.set(s._id, `s${i + 1}`);
      });
    });
    afterAll(() => h?.close());

    const itemCases: Case[] = [
      // uuid
      ["uuid: bare value", { incomingCallLogId: "CALL1" }, ["i1", "i2"]],
      ["uuid: relation alias", { incomingCallLog: "CALL2" }, ["i3", "i4"]],
      ["uuid: ObjectID wrapper, upper case", { userId: { _type: "ObjectID", value: USER.toUpperCase() } }, ["i1"]],
      ["uuid: EqualTo", { userId: { _type: "EqualTo", value: USER } }, ["i1"]],
      ["uuid: NotEqual skips nulls", { incomingCallLogId: { _type: "NotEqual", value: "CALL1" } }, ["i3", "i4"]],
      ["uuid: array", { incomingCallLogId: ["CALL1", "CALL2"] }, ["i1", "i2", "i3", "i4"]],
      ["uuid: Includes", { incomingCallLogId: { _type: "Includes", value: ["CALL2"] } }, ["i3", "i4"]],
      ["uuid: IncludesNone", { incomingCallLogId: { _type: "IncludesNone", value: ["CALL2"] } }, ["i1", "i2"]],
      ["uuid: null", { userId: null }, ["i2", "i3", "i4"]],
      ["uuid: IsNull", { user: { _type: "IsNull" } }, ["i2", "i3", "i4"]],
      ["uuid: NotNull", { userId: { _type: "NotNull" } }, ["i1"]],
      ["uuid: EqualToOrNull", { userId: { _type: "EqualToOrNull", value: USER } }, ["i1", "i2", "i3", "i4"]],
      // date, milliseconds apart
      ["date: bare value", { startedAt: T1 }, ["i2"]],
      ["date: other offset, same instant", { startedAt: "2026-02-03T06:05:06.101+02:00" }, ["i2"]],
      ["date: DateTime wrapper", { startedAt: { _type: "DateTime", value: T1 } }, ["i2"]],
      ["date: EqualTo", { startedAt: { _type: "EqualTo", value: T0 } }, ["i1"]],
      ["date: NotEqual", { startedAt: { _type: "NotEqual", value: T0 } }, ["i2", "i3"]],
      ["date: GreaterThan", { startedAt: { _type: "GreaterThan", value: T0 } }, ["i2", "i3"]],
      ["date: GreaterThanOrEqual", { startedAt: { _type: "GreaterThanOrEqual", value: T1 } }, ["i2", "i3"]],
      ["date: LessThan", { startedAt: { _type: "LessThan", value: T1 } }, ["i1"]],
      ["date: LessThanOrEqual", { startedAt: { _type: "LessThanOrEqual", value: T1 } }, ["i1", "i2"]],
      ["date: InBetween is inclusive", { startedAt: { _type: "InBetween", startValue: T0, endValue: T1 } }, ["i1", "i2"]],
      ["date: InBetween one millisecond", { startedAt: { _type: "InBetween", startValue: T1, endValue: T1 } }, ["i2"]],
      ["date: array", { startedAt: [T0, T2] }, ["i1", "i3"]],
      ["date: Includes", { startedAt: { _type: "Includes", value: [T1, { _type: "DateTime", value: T2 }] } }, ["i2", "i3"]],
      ["date: IncludesNone", { startedAt: { _type: "IncludesNone", value: [T1] } }, ["i1", "i3"]],
      ["date: IsNull", { startedAt: { _type: "IsNull" } }, ["i4"]],
      ["date: NotNull", { startedAt: { _type: "NotNull" } }, ["i1", "i2", "i3"]],
      ["date: EqualToOrNull", { startedAt: { _type: "EqualToOrNull", value: T0 } }, ["i1", "i4"]],
      ["date: GreaterThanOrNull", { startedAt: { _type: "GreaterThanOrNull", value: T1 } }, ["i3", "i4"]],
      ["date: LessThanOrNull", { startedAt: { _type: "LessThanOrNull", value: T1 } }, ["i1", "i4"]],
      // text
      ["text: bare value is exact and case-sensitive", { status: "Ringing" }, ["i1"]],
      ["text: EqualTo", { status: { _type: "EqualTo", value: "ringing" } }, ["i4"]],
      ["text: NotEqual", { status: { _type: "NotEqual", value: "Ringing" } }, ["i2", "i3", "i4"]],
      ["text: Search is case-insensitive", { status: { _type: "Search", value: "RING" } }, ["i1", "i4"]],
      ["text: StartsWith", { status: { _type: "StartsWith", value: "no" } }, ["i3"]],
      ["text: EndsWith", { status: { _type: "EndsWith", value: "ED" } }, ["i2"]],
      ["text: NotContains skips nulls", { statusMessage: { _type: "NotContains", value: "VOICE" } }, ["i2", "i4"]],
      ["text: array", { status: ["Ringing", "NoAnswer"] }, ["i1", "i3"]],
      ["text: Includes", { status: { _type: "Includes", value: ["Connected"] } }, ["i2"]],
      ["text: IncludesNone", { status: { _type: "IncludesNone", value: ["Connected", "ringing"] } }, ["i1", "i3"]],
      ["text: null", { statusMessage: null }, ["i3"]],
      ["text: NotNull", { statusMessage: { _type: "NotNull" } }, ["i1", "i2", "i4"]],
      ["text: EqualToOrNull", { statusMessage: { _type: "EqualToOrNull", value: "a_b" } }, ["i2", "i3"]],
      ["text: % is literal (bad input 6)", { statusMessage: { _type: "Search", value: "100%" } }, ["i1"]],
      ["text: a lone % matches only a %", { statusMessage: { _type: "Search", value: "%" } }, ["i1"]],
      ["text: _ is literal (bad input 6)", { statusMessage: { _type: "Search", value: "a_b" } }, ["i2"]],
      ["text: a lone _ matches only an _", { statusMessage: { _type: "StartsWith", value: "_" } }, []],
      ["text: \\ is literal", { statusMessage: { _type: "Search", value: "\\" } }, ["i4"]],
      // phone, compared through digits whatever the formatting
      ["phone: other formatting", { userPhoneNumber: "4581808888" }, ["i1"]],
      ["phone: Phone wrapper", { userPhoneNumber: { _type: "Phone", value: "+45 (81) 80-88-89" } }, ["i2"]],
      ["phone: EqualTo", { userPhoneNumber: { _type: "EqualTo", value: "+45.81.80.88.88" } }, ["i1"]],
      ["phone: NotEqual", { userPhoneNumber: { _type: "NotEqual", value: "+4581808888" } }, ["i2"]],
      ["phone: Search", { userPhoneNumber: { _type: "Search", value: "80 88" } }, ["i1", "i2"]],
      ["phone: StartsWith", { userPhoneNumber: { _type: "StartsWith", value: "+45 81" } }, ["i1", "i2"]],
      ["phone: EndsWith", { userPhoneNumber: { _type: "EndsWith", value: "8-89" } }, ["i2"]],
      ["phone: NotContains", { userPhoneNumber: { _type: "NotContains", value: "889" } }, ["i1"]],
      ["phone: Includes", { userPhoneNumber: { _type: "Includes", value: ["+45 81 80 88 89", "999"] } }, ["i2"]],
      ["phone: IncludesNone", { userPhoneNumber: { _type: "IncludesNone", value: ["4581808889"] } }, ["i1"]],
      ["phone: IsNull", { userPhoneNumber: { _type: "IsNull" } }, ["i3", "i4"]],
      ["phone: EqualToOrNull", { userPhoneNumber: { _type: "EqualToOrNull", value: "+4581808888" } }, ["i1", "i3", "i4"]],
      // integer
      ["integer: bare value", { dialDurationInSeconds: 10 }, ["i1"]],
      ["integer: EqualTo", { callCostInUSDCents: { _type: "EqualTo", value: 7 } }, ["i3"]],
      ["integer: NotEqual", { dialDurationInSeconds: { _type: "NotEqual", value: 10 } }, ["i2"]],
      ["integer: GreaterThan", { dialDurationInSeconds: { _type: "GreaterThan", value: 10 } }, ["i2"]],
      ["integer: GreaterThanOrEqual", { dialDurationInSeconds: { _type: "GreaterThanOrEqual", value: 10 } }, ["i1", "i2"]],
      ["integer: LessThan", { callCostInUSDCents: { _type: "LessThan", value: 7 } }, ["i1"]],
      ["integer: LessThanOrEqual", { callCostInUSDCents: { _type: "LessThanOrEqual", value: 7 } }, ["i1", "i3"]],
      ["integer: InBetween", { dialDurationInSeconds: { _type: "InBetween", startValue: 11, endValue: 20 } }, ["i2"]],
      ["integer: array", { callCostInUSDCents: [5, 7] }, ["i1", "i3"]],
      ["integer: Includes", { callCostInUSDCents: { _type: "Includes", value: [7, 8] } }, ["i3"]],
      ["integer: IncludesNone", { callCostInUSDCents: { _type: "IncludesNone", value: [7] } }, ["i1"]],
      ["integer: null", { callCostInUSDCents: null }, ["i2", "i4"]],
      ["integer: EqualToOrNull", { callCostInUSDCents: { _type: "EqualToOrNull", value: 5 } }, ["i1", "i2", "i4"]],
      ["integer: GreaterThanOrNull", { callCostInUSDCents: { _type: "GreaterThanOrNull", value: 5 } }, ["i2", "i3", "i4"]],
      ["integer: LessThanOrNull", { dialDurationInSeconds: { _type: "LessThanOrNull", value: 20 } }, ["i1", "i3", "i4"]],
      // boolean
      ["boolean: bare value", { isAnswered: true }, ["i2", "i4"]],
      ["boolean: EqualTo", { isAnswered: { _type: "EqualTo", value: false } }, ["i1", "i3"]],
      ["boolean: NotEqual", { isAnswered: { _type: "NotEqual", value: false } }, ["i2", "i4"]],
      // several keys are ANDed
      ["keys are ANDed", { isAnswered: false, incomingCallLogId: "CALL1", status: { _type: "Search", value: "r" } }, ["i1"]],
      ["no query matches everything", {}, ["i1", "i2", "i3", "i4"]],
    ];

    const resolveCalls = (query: object) => JSON.parse(JSON.stringify(query).replaceAll("CALL1", call1).replaceAll("CALL2", call2)) as object;
    for (const [what, query, expected] of itemCases) {
      it(`item ${what}`, async () => {
        assert.deepEqual(await matches("/api/incoming-call-log-item", resolveCalls(query)), expected);
      });
    }

    const smsCases: Case[] = [
      ["phone: +45 81 80 88 88, +4581808888 and 4581808888 are one number", { toNumber: "+4581808888" }, ["s1"]],
      ["phone: digits match across formatting", { toNumber: ["45 81 80 88 89", "+1 555 123 4567"] }, ["s2", "s4"]],
      ["phone: Search by a fragment", { toNumber: { _type: "Search", value: "(555) 123" } }, ["s4"]],
      ["phone: nullable fromNumber IsNull", { fromNumber: { _type: "IsNull" } }, ["s2", "s3", "s4"]],
      ["phone: nullable fromNumber equality", { fromNumber: "15550100000" }, ["s1"]],
      ["text: % is literal (bad input 6)", { smsText: { _type: "Search", value: "100%" } }, ["s1"]],
      ["text: _ is literal (bad input 6)", { smsText: { _type: "Search", value: "e_c" } }, ["s3"]],
      ["text: case-insensitive StartsWith", { smsText: { _type: "StartsWith", value: "SNAKE" } }, ["s3", "s4"]],
      ["date: GreaterThan one millisecond before", { createdAt: { _type: "GreaterThan", value: T0 } }, ["s2", "s3", "s4"]],
      ["date: InBetween milliseconds", { createdAt: { _type: "InBetween", startValue: T1, endValue: "2026-02-03T04:05:06.1015Z" } }, ["s2"]],
      ["date: list of dates", { createdAt: [T0, T1] }, ["s1", "s2"]],
      ["integer: smsCostInUSDCents defaults to 0", { smsCostInUSDCents: 0 }, ["s1", "s2", "s3", "s4"]],
      ["text: status", { status: { _type: "Includes", value: ["Sending"] } }, ["s1", "s2", "s3", "s4"]],
    ];
    for (const [what, query, expected] of smsCases) {
      it(`SMS Log ${what}`, async () => {
        assert.deepEqual(await matches("/api/sms-log", query), expected);
      });
    }

    it("sorts by a nullable date with nulls as the largest value, on both engines", async () => {
      const order = async (direction: string) => {
        const response = await api("/api/incoming-call-log-item/get-list", { sort: { startedAt: direction } });
        return response.body.data.map((o: { _id: string }) => names.get(o._id));
      };
      assert.deepEqual(await order("ASC"), ["i1", "i2", "i3", "i4"]);
      assert.deepEqual(await order("DESC"), ["i4", "i3", "i2", "i1"]);
    });

    it("sorts by several keys in order", async () => {
      const response = await api("/api/incoming-call-log-item/get-list", { sort: { isAnswered: "ASC", dialDurationInSeconds: -1 } });
      assert.deepEqual(response.body.data.map((o: { _id: string }) => names.get(o._id)), ["i3", "i1", "i4", "i2"]);
    });

    const rejected: Array<[string, object, string]> = [
      ["GreaterThan on text", { status: { _type: "GreaterThan", value: "a" } }, "status"],
      ["GreaterThan on a phone", { userPhoneNumber: { _type: "GreaterThan", value: "+4581808888" } }, "userPhoneNumber"],
      ["InBetween on a uuid", { userId: { _type: "InBetween", startValue: USER, endValue: USER } }, "userId"],
      ["LessThan on a boolean", { isAnswered: { _type: "LessThan", value: true } }, "isAnswered"],
      ["Search on an integer", { dialDurationInSeconds: { _type: "Search", value: "1" } }, "dialDurationInSeconds"],
      ["Search on a date", { startedAt: { _type: "Search", value: "2026" } }, "startedAt"],
      ["NotContains on a uuid (ids take only Search, StartsWith, EndsWith)", { userId: { _type: "NotContains", value: "d4e5" } }, "userId"],
      ["StartsWith on a boolean", { isAnswered: { _type: "StartsWith", value: "t" } }, "isAnswered"],
      ["Includes on a boolean", { isAnswered: { _type: "Includes", value: [true] } }, "isAnswered"],
      ["a list on a boolean", { isAnswered: [true, false] }, "isAnswered"],
      ["IsNull on a required field", { status: { _type: "IsNull" } }, "status"],
      ["null on a required field", { isAnswered: null }, "isAnswered"],
      ["GreaterThanOrNull on a required field", { createdAt: { _type: "GreaterThanOrNull", value: T0 } }, "createdAt"],
      ["a string for an integer", { dialDurationInSeconds: "10" }, "dialDurationInSeconds"],
      ["a fraction for an integer", { dialDurationInSeconds: 1.5 }, "dialDurationInSeconds"],
      ["a string for a boolean", { isAnswered: "true" }, "isAnswered"],
      ["a malformed uuid", { userId: "nope" }, "userId"],
      ["a malformed date", { startedAt: "2026-02-30T00:00:00Z" }, "startedAt"],
      ["a malformed phone", { userPhoneNumber: "call me" }, "userPhoneNumber"],
      ["a phone fragment without digits", { userPhoneNumber: { _type: "Search", value: "+" } }, "userPhoneNumber"],
      ["an ObjectID wrapper on a date", { startedAt: { _type: "ObjectID", value: USER } }, "startedAt"],
      ["a DateTime wrapper on a uuid", { userId: { _type: "DateTime", value: T0 } }, "userId"],
      ["an unknown operator", { status: { _type: "Like", value: "R%" } }, "status"],
      ["an operator with a stray key", { status: { _type: "EqualTo", value: "x", other: 1 } }, "status"],
      ["an unknown field", { userPhoneNumberDigits: "4581808888" }, "userPhoneNumberDigits"],
    ];
    for (const [what, query, field] of rejected) {
      it(`rejects ${what} with a 400 naming query.${field}`, async () => {
        for (const path of ["/api/incoming-call-log-item/get-list", "/api/incoming-call-log-item/count"]) {
          const response = await api(path, { query });
          assert.equal(response.status, 400, `${path}: ${JSON.stringify(response.body)}`);
          assert.match(response.body.error, new RegExp(`query\\.${field}\\b`));
        }
      });
    }

    it("rejects ordered operators on SMS Log phones and fields SMS Log does not expose", async () => {
      for (const [query, field] of [
        [{ toNumber: { _type: "LessThan", value: "+4581808888" } }, "toNumber"],
        [{ cost: 1 }, "cost"],
        [{ deliveryStatus: "delivered" }, "deliveryStatus"],
        [{ senderName: "ACME" }, "senderName"],
      ] as const) {
        const response = await api("/api/sms-log/count", { query });
        assert.equal(response.status, 400);
        assert.match(response.body.error, new RegExp(`query\\.${field}\\b`));
      }
    });
  });
}
