import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { contractEnums, exolveGetCountFields } from "@commlog/contracts";
import { formatWords, patternOwners, scalarWords } from "../src/http/error-words.js";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// Error messages a person understands (issue 15): each names the field, says what was wrong and
// what is allowed (the allowed names, the expected format in words), never a regular expression
// or an internal class name; one stable code per kind, the contract's enum.

const MISSING_ID = "00000000-0000-4000-8000-000000000000";
const TIMESTAMP = formatWords["date-time"]!;
const ERROR_CODES: readonly string[] = contractEnums.status200.ErrorCode;

/** Regex-like text and the server's internal names, which no message may show. */
const REGEX_LIKE = /\^|\\d|\[0-9\]|\$"/;
const INTERNAL_NAMES = /\b(SmsLog|IncomingCallLogItem|IncomingCallLog|DomainError|HttpError)\b|Error:/;

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe("the words for formats", () => {
  it("cover every pattern of every dialect's document (the x-commlog-words of the scalar declaring it, not keyed by regex)", () => {
    const missing = [...patternOwners()].filter(([, owner]) => !scalarWords[owner]).map(([pattern, owner]) => `${owner}: ${pattern}`);
    expect(missing).toEqual([]);
  });
});

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: error messages`, () => {
    let h: Harness;
    let projectId: string;
    let owner: string;
    let callsOnly: string;
    let noLevel: string;
    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      owner = await h.createKey({ projectId, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
      callsOnly = await h.createKey({ projectId, permissions: ["ReadIncomingCallLog"] });
      noLevel = await h.createKey({ projectId, permissions: ["ReadSmsLog"] });
    });
    afterAll(() => h?.close());

    const status200 = (path: string, body: object = {}, key = owner) => h.http.post(path).set("ApiKey", key).send(body);
    const telecomx = (query: string, key = owner) => h.http.get(`/sms?${query}`).set("Authorization", `Bearer ${key}`);
    const exolve = (body: unknown, key = owner) => h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${key}`).send(body as object);
    const answer = async (request: PromiseLike<{ status: number; body: unknown }>) => {
      const { status, body } = await request;
      return { status, body };
    };

    describe("the cases of the issue", () => {
      it("TelecomX: a month in the wrong format says YYYY-MM, not the pattern", async () => {
        expect(await answer(telecomx("fromDate=2023-13"))).toEqual({
          status: 400,
          body: { error: "bad_request", message: "fromDate: must be a month as YYYY-MM (e.g. 2023-01), years 0001 to 9999" },
        });
        expect((await answer(telecomx("to=abc"))).body).toEqual({
          error: "bad_request",
          message: "to: must be a phone number: 3 to 15 digits, optionally with +, spaces, dashes, dots and parentheses, at most 30 characters",
        });
        expect((await answer(telecomx("sort=NEWEST"))).body).toEqual({ error: "bad_request", message: "sort: must be one of SENT, INVOICED, CREATED" });
      });

      it("Exolve: an invalid enum value lists the allowed names and numbers", async () => {
        expect(await answer(exolve({ direction: "DIRECTION_SIDEWAYS" }))).toEqual({
          status: 400,
          body: {
            code: 400,
            message: "invalid value: direction: does not fit this field; expected one of DIRECTION_UNSPECIFIED, DIRECTION_INCOMING, DIRECTION_OUTGOING, an integer from 0 to 2, or null",
          },
        });
        expect((await answer(exolve({ status: 99 }))).body).toEqual({
          code: 400,
          message:
            "invalid value: status: does not fit this field; expected one of STATUS_UNSPECIFIED, STATUS_QUEUED, STATUS_TRANSMITTED, STATUS_DELIVERED, STATUS_FAILED, STATUS_UNDERFUNDED, STATUS_PROHIBITED, an integer from 0 to 6, or null",
        });
      });

      it('Exolve: {"numbr": …} is "unknown field: numbr" with the fields there are', async () => {
        const snake = [...new Set(Object.values(exolveGetCountFields).map(([, name]) => name))].join(", ");
        expect(await answer(exolve({ numbr: "79161234567" }))).toEqual({
          status: 400,
          body: { code: 400, message: `unknown field: numbr (the fields are ${snake}, each also in lowerCamelCase)` },
        });
        expect(snake).toBe("message_id, limit, offset, number, direction, delivery_status, billing_status, status, date_gte, date_lte");
      });

      it("Exolve: a date that is not RFC 3339 says so in words", async () => {
        expect((await answer(exolve({ date_gte: "yesterday" }))).body).toEqual({ code: 400, message: `invalid value: date_gte: must be ${TIMESTAMP}` });
        expect((await answer(exolve({ message_id: "12a" }))).body).toEqual({ code: 400, message: 'invalid value: message_id: must be a non-negative integer written with digits only (e.g. "42")' });
      });

      it("Status200: a date-operator mistake lists every form the field takes, InBetween among the others", async () => {
        const operators = "EqualTo, NotEqual, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, InBetween, Includes, IncludesNone";
        const expected = {
          status: 400,
          body: { error: `query.createdAt: does not fit this field; expected ${TIMESTAMP}, a list of such values, or an operator: ${operators}`, code: "invalid_value" },
        };
        expect(await answer(status200("/api/sms-log/get-list", { query: { createdAt: { _type: "Between", value: "2023-01-01T00:00:00Z" } } }))).toEqual(expected);
        expect(await answer(status200("/api/sms-log/get-list", { query: { createdAt: { _type: "Between", startValue: "2023-01-01T00:00:00Z", endValue: "2023-02-01T00:00:00Z" } } }))).toEqual(expected);
        // A nullable date also takes the null operators.
        const nullable = await answer(status200("/api/incoming-call-log/get-list", { query: { endedAt: { _type: "After", value: "2023-01-01T00:00:00Z" } } }));
        expect(nullable.body).toEqual({
          error: `query.endedAt: does not fit this field; expected ${TIMESTAMP}, a list of such values, an operator: ${operators}, IsNull, NotNull, EqualToOrNull, GreaterThanOrNull, LessThanOrNull, or null`,
          code: "invalid_value",
        });
        // Inside a fitting operator, the bad value itself.
        expect((await answer(status200("/api/sms-log/count", { query: { createdAt: { _type: "GreaterThan", value: "yesterday" } } }))).body).toEqual({
          error: `query.createdAt.value: must be ${TIMESTAMP}`,
          code: "invalid_value",
        });
      });

      it("Status200: a missing id names the resource as people do, not the schema's class", async () => {
        expect(await answer(status200(`/api/sms-log/${MISSING_ID}/get-item`))).toEqual({ status: 404, body: { error: "id: no SMS log with this id in this project", code: "not_found" } });
        expect(await answer(status200(`/api/incoming-call-log-item/${MISSING_ID}/delete-item`))).toEqual({
          status: 404,
          body: { error: "id: no incoming call log item with this id in this project", code: "not_found" },
        });
        expect(await answer(status200(`/api/incoming-call-log/${MISSING_ID}/get-item`))).toEqual({ status: 404, body: { error: "id: no incoming call log with this id in this project", code: "not_found" } });
      });

      it("Status200: a whitespace-only item status and a malformed id say what is expected", async () => {
        const created = await answer(status200("/api/incoming-call-log-item", { data: { incomingCallLogId: MISSING_ID, status: "   ", isAnswered: true } }));
        expect(created).toEqual({ status: 400, body: { error: "data.status: must be text that is not only whitespace", code: "invalid_value" } });
        expect((await answer(status200("/api/sms-log/not-a-uuid/get-item"))).body).toEqual({ error: `id: must be ${scalarWords.Uuid}`, code: "invalid_value" });
      });
    });

    describe("a representative of every error kind, per dialect", () => {
      it("Status200", async () => {
        const cases: Array<[string, PromiseLike<{ status: number; body: unknown }>, number, object]> = [
          ["syntax_error", h.http.post("/api/sms-log/get-list").set("ApiKey", owner).set("Content-Type", "application/json").send("{"), 400, { error: "syntax error: the body is not valid JSON", code: "syntax_error" }],
          ["invalid_body", h.http.post("/api/sms-log/count").set("ApiKey", owner).set("Content-Type", "application/json").set("Content-Encoding", "gzip").send("not gzip"), 400, { error: "the body does not decode as its Content-Encoding says", code: "invalid_body" }],
          ["unknown_field", status200("/api/sms-log/get-list", { select: { cost: true } }), 400, { error: "select.cost: unknown field", code: "unknown_field" }],
          ["invalid_value", h.http.post("/api/sms-log/get-list?limit=500").set("ApiKey", owner).send({}), 400, { error: "limit: must be at most 100", code: "invalid_value" }],
          ["invalid_value (required)", status200("/api/incoming-call-log-item", { data: { status: "Ringing" } }), 400, { error: "data.incomingCallLogId: is required", code: "invalid_value" }],
          ["invalid_query", status200("/api/sms-log/get-list", { groupBy: { status: true } }), 400, { error: "groupBy is not supported", code: "invalid_query" }],
          ["unauthorized", h.http.post("/api/sms-log/count").send({}), 401, { error: "'ApiKey' header required", code: "unauthorized" }],
          ["forbidden", status200("/api/sms-log/count", {}, callsOnly), 403, { error: "this API key lacks the permission for this operation; any of these would allow it: ProjectOwner, ProjectAdmin, ProjectMember, ReadSmsLog, ReadAllProjectResources", code: "forbidden" }],
          ["not_found", status200(`/api/sms-log/${MISSING_ID}/get-item`), 404, { error: "id: no SMS log with this id in this project", code: "not_found" }],
          ["method_not_allowed", status200("/api/sms-log", { data: {} }), 405, { error: "this resource cannot be written via the API", code: "method_not_allowed" }],
          ["payload_too_large", status200("/api/sms-log/count", { query: { status: "x".repeat(1_100_000) } }), 413, { error: "the request body is too large", code: "payload_too_large" }],
          ["unsupported_media_type", h.http.post("/api/sms-log/count").set("ApiKey", owner).set("Content-Type", "text/plain").send("x"), 415, { code: "unsupported_media_type" }],
        ];
        for (const [kind, request, status, body] of cases) {
          const got = await answer(request);
          assert.equal(got.status, status, `${kind}: ${JSON.stringify(got.body)}`);
          expect(got.body).toMatchObject(body);
          expect(ERROR_CODES).toContain((got.body as { code: string }).code);
        }
      });

      it("TelecomX: the vendor's codes", async () => {
        const cases: Array<[PromiseLike<{ status: number; body: unknown }>, number, object]> = [
          [telecomx("limit=0"), 400, { error: "bad_request", message: "limit: must be at least 1" }],
          [telecomx("names=maybe"), 400, { error: "bad_request", message: "names: must be true or false" }],
          [telecomx("offset=-1"), 400, { error: "bad_request", message: "offset: must be at least 0" }],
          [h.http.get("/sms"), 401, { error: "unauthorized" }],
          [telecomx("", noLevel), 403, { error: "access_denied", message: "Insufficient access level" }],
          [telecomx("customer=somebody-else"), 404, { error: "bad_request", message: "Customer not found" }],
          [h.http.post("/sms").set("Authorization", `Bearer ${owner}`).send({}), 405, { error: "method_not_allowed" }],
        ];
        for (const [request, status, body] of cases) {
          const got = await answer(request);
          assert.equal(got.status, status, JSON.stringify(got.body));
          expect(got.body).toMatchObject(body);
        }
      });

      it("Exolve: the status in code, the documented phrase first", async () => {
        const cases: Array<[PromiseLike<{ status: number; body: unknown }>, number, string | RegExp]> = [
          [h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${owner}`).set("Content-Type", "application/json").send("[1]"), 400, "syntax error: the body must be a JSON object"],
          [exolve({ message_id: "1", messageId: "2" }), 400, "syntax error: field message_id given twice (as message_id and messageId)"],
          [exolve({ numbr: "1" }), 400, /^unknown field: numbr \(/],
          [exolve({ limit: -1 }), 400, 'invalid value: limit: does not fit this field; expected an integer from 0 to 4294967295, a non-negative integer written with digits only (e.g. "42"), or null'],
          [exolve({ offset: "18446744073709551616" }), 400, "invalid value: offset: 18446744073709551616 is out of range: must be from 0 to 18446744073709551615"],
          [exolve({}, callsOnly), 401, "authorization token is invalid"],
          [h.http.post("/messaging/v1/Nope").set("Authorization", `Bearer ${owner}`).send({}), 404, "page not found"],
          [exolve({ number: "7".repeat(1_100_000) }), 413, "request body too large"],
          [h.http.post("/messaging/v1/GetCount").set("Authorization", `Bearer ${owner}`).set("Content-Type", "text/plain").send("x"), 415, "unsupported media type"],
        ];
        for (const [request, status, message] of cases) {
          const got = await answer(request);
          assert.equal(got.status, status, JSON.stringify(got.body));
          expect(got.body).toEqual({ code: status, message: typeof message === "string" ? message : expect.stringMatching(message) });
        }
      });

      it("Internal", async () => {
        const message = (extra: object) => ({ projectId, toNumber: "+4581808888", ...extra });
        const cases: Array<[string, PromiseLike<{ status: number; body: unknown }>, number, object]> = [
          ["syntax_error", h.http.post("/internal/v1/projects").set("Authorization", "Bearer test-admin-token-0123456789abcdef0123456789").set("Content-Type", "application/json").send("{"), 400, { code: "syntax_error" }],
          ["unknown_field", h.internal("post", "/internal/v1/projects", { name: "a", colour: "red" }), 400, { error: "colour: unknown field", code: "unknown_field" }],
          ["invalid_value (enum)", h.internal("post", "/internal/v1/sms", { messages: [message({ deliveryStatus: "lost" })] }), 400, { error: "messages[0].deliveryStatus: must be one of queued, transmitted, delivered, failed", code: "invalid_value" }],
          ["invalid_value (format)", h.internal("post", "/internal/v1/sms", { messages: [message({ createdAt: "yesterday" })] }), 400, { error: `messages[0].createdAt: must be ${TIMESTAMP}`, code: "invalid_value" }],
          ["invalid_value (uuid)", h.internal("post", "/internal/v1/projects", { name: "a", resellerId: "r-1" }), 400, { error: `resellerId: must be ${scalarWords.Uuid}`, code: "invalid_value" }],
          ["contradictory_status", h.internal("post", "/internal/v1/sms", { messages: [message({ deliveryStatus: "delivered", status: "Failed" })] }), 400, { code: "contradictory_status" }],
          ["unauthorized", h.http.post("/internal/v1/projects").send({ name: "a" }), 401, { code: "unauthorized" }],
          ["not_found", h.internal("delete", `/internal/v1/projects/${MISSING_ID}`), 404, { error: "id: no project with this id", code: "not_found" }],
          ["conflict", h.internal("post", "/internal/v1/sms", { messages: [message({ messageId: "77" }), message({ messageId: "77", providerExternalId: "other" })] }), 409, { code: "conflict" }],
          ["unsupported_media_type", h.http.post("/internal/v1/projects").set("Authorization", "Bearer test-admin-token-0123456789abcdef0123456789").set("Content-Type", "text/plain").send("x"), 415, { code: "unsupported_media_type" }],
        ];
        for (const [kind, request, status, body] of cases) {
          const got = await answer(request);
          assert.equal(got.status, status, `${kind}: ${JSON.stringify(got.body)}`);
          expect(got.body).toMatchObject(body);
          expect(ERROR_CODES).toContain((got.body as { code: string }).code);
        }
      });
    });

    it("no 4xx body of a sweep of bad inputs quotes a regex or an internal name", async () => {
      const s2 = "/api/sms-log/get-list";
      const item = "/api/incoming-call-log-item";
      const requests: Array<[string, PromiseLike<{ status: number; body: unknown }>]> = [
        ...[
          { query: { _id: "nope" } },
          { query: { toNumber: "abc" } },
          { query: { toNumber: { _type: "StartsWith", value: "abc" } } },
          { query: { createdAt: "2023-13-01" } },
          { query: { createdAt: { _type: "InBetween", startValue: "x", endValue: "y" } } },
          { query: { createdAt: { _type: "InBetween", value: "2023-01-01T00:00:00Z" } } },
          { query: { smsCostInUSDCents: -1 } },
          { query: { smsCostInUSDCents: { _type: "Search", value: 1 } } },
          { query: { status: { _type: "GreaterThan", value: "x" } } },
          { query: { alertId: { _type: "IsNull", value: 1 } } },
          { query: { price: 1 } },
          { select: { alert: { "1x": true } } },
          { select: { status: 1 } },
          { sort: { createdAt: "UP" } },
          { sort: { smsText: 1 } },
          { skip: -1 },
          { limit: "ten" },
        ].map((body): [string, PromiseLike<{ status: number; body: unknown }>] => [`status200 ${JSON.stringify(body)}`, status200(s2, body)]),
        ["status200 count", status200("/api/sms-log/count", { query: { projectId: "x" } })],
        ["status200 bad id", status200("/api/incoming-call-log/123/get-item")],
        ...[
          { data: { incomingCallLogId: "x", status: "R", isAnswered: true } },
          { data: { incomingCallLogId: MISSING_ID, status: "R", isAnswered: "yes" } },
          { data: { incomingCallLogId: MISSING_ID, status: "R", dialDurationInSeconds: -5 } },
          { data: { incomingCallLogId: MISSING_ID, status: "R", startedAt: "noon" } },
          { data: { incomingCallLogId: MISSING_ID, status: "x".repeat(101) } },
          { data: { incomingCallLogId: MISSING_ID, status: "R", _id: MISSING_ID } },
          { data: { incomingCallLogId: MISSING_ID, status: "R" } },
        ].map((body): [string, PromiseLike<{ status: number; body: unknown }>] => [`create ${JSON.stringify(body).slice(0, 80)}`, status200(item, body)]),
        ["update empty", status200(`${item}/${MISSING_ID}/update-item`, { data: {} })],
        ["update missing", status200(`${item}/${MISSING_ID}/update-item`, { data: { status: "R" } })],
        ...["offset=x", "limit=1001", "sort=x", "fromDate=2023-1", "toDate=202301", "fromDate=0000-01", "to=12", "names=2", "fromDate=2023-05&toDate=2023-01"].map(
          (query): [string, PromiseLike<{ status: number; body: unknown }>] => [`telecomx ${query}`, telecomx(query)],
        ),
        ...[
          { limit: "x" },
          { limit: 1.5 },
          { offset: -1 },
          { message_id: -1 },
          { message_id: "1e3" },
          { number: 5 },
          { direction: true },
          { delivery_status: "DELIVERED" },
          { billing_status: 99 },
          { status: "1" },
          { date_lte: "2023-01-01" },
          { dateGte: 5 },
          { unknown: 1 },
        ].map((body): [string, PromiseLike<{ status: number; body: unknown }>] => [`exolve ${JSON.stringify(body)}`, exolve(body)]),
        ...[
          ["/internal/v1/projects", { name: "" }],
          ["/internal/v1/projects", { name: "a", resellerId: MISSING_ID }],
          ["/internal/v1/api-keys", { name: "k", projectId, permissions: ["Nope"] }],
          ["/internal/v1/api-keys", { name: "k", projectId, accessLevel: "ADMIN" }],
          ["/internal/v1/api-keys", { name: "k", projectId, expiresAt: "2000-01-01T00:00:00Z" }],
          ["/internal/v1/sms", { messages: [] }],
          ["/internal/v1/sms", { messages: [{ projectId, toNumber: "abc" }] }],
          ["/internal/v1/sms", { messages: [{ projectId, toNumber: "+4581808888", messageId: "0" }] }],
          ["/internal/v1/sms", { messages: [{ projectId, toNumber: "+4581808888", smsCostInUSDCents: 2147483648 }] }],
          ["/internal/v1/sms", { messages: [{ projectId: MISSING_ID, toNumber: "+4581808888" }] }],
          ["/internal/v1/sms/status", { projectId, providerExternalId: "none", deliveryStatus: "delivered" }],
          ["/internal/v1/sms/status", { _id: "x", deliveryStatus: "delivered" }],
          ["/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "x" }],
          ["/internal/v1/incoming-call-logs", { projectId, startedAt: "2023-01-02T00:00:00Z", endedAt: "2023-01-01T00:00:00Z" }],
        ].map(([path, body]): [string, PromiseLike<{ status: number; body: unknown }>] => [`internal ${path} ${JSON.stringify(body)}`, h.internal("post", path as string, body as object)]),
      ];
      const offending: string[] = [];
      for (const [what, request] of requests) {
        const got = await answer(request);
        if (got.status < 400 || got.status >= 500) offending.push(`${what}: not a 4xx but ${got.status} ${JSON.stringify(got.body)}`);
        for (const text of strings(got.body)) {
          if (REGEX_LIKE.test(text) || INTERNAL_NAMES.test(text)) offending.push(`${what}: ${text}`);
        }
        const code = (got.body as { code?: unknown }).code;
        if (typeof code === "string" && !ERROR_CODES.includes(code)) offending.push(`${what}: code ${code} is not in the contract's ErrorCode`);
      }
      expect(offending).toEqual([]);
    });
  });
}
