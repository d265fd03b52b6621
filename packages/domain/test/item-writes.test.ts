import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { CREATE_DEFAULTS, INCOMING_CALL_LOG_ITEM, parseCreateData, parseUpdateData } from "../src/index.js";
import { UUID_A, UUID_B, throwsDomain } from "./helpers.js";

const minimal = { incomingCallLogId: UUID_A, status: "Ringing", isAnswered: false };
/** Every nullable column a create leaves out is null (the server stores the row as parsed). */
const NULLS = {
  incomingCallPolicyEscalationRuleId: null,
  userId: null,
  userPhoneNumber: null,
  userPhoneNumberDigits: null,
  statusMessage: null,
  dialDurationInSeconds: null,
  callCostInUSDCents: null,
  startedAt: null,
  endedAt: null,
};

describe("creating an Incoming Call Log Item", () => {
  it("the seed's example is accepted, projectId returned for the caller to check", () => {
    const d = parseCreateData({
      incomingCallLogId: "550e8400-e29b-41d4-a716-446655440000",
      isAnswered: true,
      projectId: "550E8400-E29B-41D4-A716-446655440000",
      status: "Example status",
      callCostInUSDCents: 100,
    });
    assert.deepEqual(d, {
      ...NULLS,
      incomingCallLogId: "550e8400-e29b-41d4-a716-446655440000",
      isAnswered: true,
      projectId: "550e8400-e29b-41d4-a716-446655440000",
      status: "Example status",
      callCostInUSDCents: 100,
    });
  });

  it("every writable field is parsed to its column", () => {
    const d = parseCreateData({
      ...minimal,
      incomingCallPolicyEscalationRuleId: UUID_B,
      userId: null,
      userPhoneNumber: "+45 81 80 88 88",
      statusMessage: "rang out",
      dialDurationInSeconds: 0,
      startedAt: "2026-01-01T10:00:00+01:00",
      endedAt: { _type: "DateTime", value: "2026-01-01T09:00:30.000Z" },
    });
    assert.deepEqual(d, {
      ...NULLS,
      ...minimal,
      incomingCallPolicyEscalationRuleId: UUID_B,
      userId: null,
      userPhoneNumber: "+45 81 80 88 88",
      userPhoneNumberDigits: "4581808888",
      statusMessage: "rang out",
      dialDurationInSeconds: 0,
      startedAt: new Date("2026-01-01T09:00:00.000Z"),
      endedAt: new Date("2026-01-01T09:00:30.000Z"),
    });
  });

  it("typed wrappers are unwrapped", () => {
    const d = parseCreateData({
      ...minimal,
      incomingCallLogId: { _type: "ObjectID", value: UUID_B },
      userPhoneNumber: { _type: "Phone", value: "+4581808888" },
    });
    assert.equal(d.incomingCallLogId, UUID_B);
    assert.equal(d.userPhoneNumberDigits, "4581808888");
  });

  it("isAnswered may be left out and defaults to false (SPEC §10)", () => {
    assert.equal(parseCreateData({ incomingCallLogId: UUID_A, status: "Ringing" }).isAnswered, false);
    assert.equal(parseCreateData({ incomingCallLogId: UUID_A, status: "Ringing", isAnswered: undefined }).isAnswered, false);
    assert.equal(parseCreateData({ incomingCallLogId: UUID_A, status: "Ringing", isAnswered: true }).isAnswered, true);
  });

  // Required fields, null on non-nullable fields, lengths, the non-blank status, integer bounds and
  // the shapes of uuids and phones are the contract's (IncomingCallLogItemCreateData): the server's
  // validator enforces them before these parsers run; apps/server/test/contract-bounds.test.ts walks
  // every bound of the catalog through the server.

  it("server-set fields never reach a column, whoever calls the parser", () => {
    for (const key of ["_id", "id", "createdAt", "updatedAt", "deletedAt", "version"]) {
      throwsDomain(() => parseCreateData({ ...minimal, [key]: UUID_B }), { code: "unknown_field", field: `data.${key}` });
    }
  });

  it("relation aliases are no writable fields", () => {
    for (const key of ["project", "incomingCallLog", "user", "incomingCallPolicyEscalationRule"]) {
      throwsDomain(() => parseCreateData({ ...minimal, [key]: { _id: UUID_B } }), { field: `data.${key}` });
    }
  });

  it("unknown fields are a 400 naming the key", () => {
    throwsDomain(() => parseCreateData({ ...minimal, isAnwsered: true }), { code: "unknown_field", field: "data.isAnwsered" });
    throwsDomain(() => parseCreateData({ ...minimal, miscDataProps: {} }), { field: "data.miscDataProps" });
  });

  it("values it converts (ids, dates, wrappers) are still a 400 naming the key when they do not convert", () => {
    throwsDomain(() => parseCreateData({ ...minimal, incomingCallLogId: "42" }), { field: "data.incomingCallLogId" });
    throwsDomain(() => parseCreateData({ ...minimal, startedAt: "yesterday" }), { field: "data.startedAt" });
    throwsDomain(() => parseCreateData({ ...minimal, startedAt: { _type: "ObjectID", value: UUID_A } }), { field: "data.startedAt" });
  });

  it("writability and defaults are the catalog's", () => {
    assert.deepEqual(CREATE_DEFAULTS, { ...NULLS, isAnswered: false });
    const creatable = INCOMING_CALL_LOG_ITEM.fields.filter((f) => f.writable.includes("create")).map((f) => f.name);
    assert.deepEqual(creatable, ["projectId", "incomingCallLogId", "incomingCallPolicyEscalationRuleId", "userId", "userPhoneNumber", "status", "statusMessage", "dialDurationInSeconds", "callCostInUSDCents", "startedAt", "endedAt", "isAnswered"]);
    assert.deepEqual(INCOMING_CALL_LOG_ITEM.fields.filter((f) => f.required).map((f) => f.name), ["incomingCallLogId", "status"]);
  });

  it("data must be an object", () => {
    for (const bad of [undefined, null, [], "x"]) throwsDomain(() => parseCreateData(bad), { field: "data" });
  });
});

describe("updating an Incoming Call Log Item", () => {
  it("accepts only the updatable fields", () => {
    assert.deepEqual(
      parseUpdateData({
        status: "Completed",
        statusMessage: null,
        dialDurationInSeconds: 12,
        callCostInUSDCents: 3,
        startedAt: null,
        endedAt: "2026-01-01T00:00:00Z",
        isAnswered: true,
      }),
      {
        status: "Completed",
        statusMessage: null,
        dialDurationInSeconds: 12,
        callCostInUSDCents: 3,
        startedAt: null,
        endedAt: new Date("2026-01-01T00:00:00Z"),
        isAnswered: true,
      },
    );
  });

  it("create-only fields are a 400 naming the key", () => {
    for (const key of ["projectId", "incomingCallLogId", "userId", "incomingCallPolicyEscalationRuleId", "userPhoneNumber"]) {
      throwsDomain(() => parseUpdateData({ [key]: UUID_A }), { code: "unknown_field", field: `data.${key}`, message: /unknown field for update/ });
    }
  });

  it("server-set, relation and unknown fields are a 400", () => {
    throwsDomain(() => parseUpdateData({ _id: UUID_A }), { field: "data._id" });
    throwsDomain(() => parseUpdateData({ project: { _id: UUID_A } }), { field: "data.project" });
    throwsDomain(() => parseUpdateData({ colour: "red" }), { code: "unknown_field", field: "data.colour" });
  });

  it("an empty data is a 400", () => {
    throwsDomain(() => parseUpdateData({}), { field: "data", message: /nothing to update/ });
  });
});
