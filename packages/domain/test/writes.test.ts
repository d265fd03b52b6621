import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { parseCreateData, parseUpdateData } from "../src/index.js";
import { UUID_A, UUID_B, throwsDomain } from "./helpers.js";

const minimal = { incomingCallLogId: UUID_A, status: "Ringing", isAnswered: false };

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
    throwsDomain(() => parseCreateData({ incomingCallLogId: UUID_A, status: "Ringing", isAnswered: null }), { field: "data.isAnswered", message: /must not be null/ });
  });

  it("incomingCallLogId and status are required", () => {
    for (const key of ["incomingCallLogId", "status"] as const) {
      const data: Record<string, unknown> = { ...minimal };
      delete data[key];
      throwsDomain(() => parseCreateData(data), { field: `data.${key}`, message: /is required/ });
      throwsDomain(() => parseCreateData({ ...minimal, [key]: null }), { field: `data.${key}`, message: /must not be null/ });
    }
  });

  it("server-set fields are rejected", () => {
    for (const key of ["_id", "id", "createdAt", "updatedAt", "deletedAt", "version"]) {
      throwsDomain(() => parseCreateData({ ...minimal, [key]: UUID_B }), { field: `data.${key}`, message: /set by the server/ });
    }
  });

  it("relation objects are rejected, naming the id to use", () => {
    throwsDomain(() => parseCreateData({ ...minimal, project: { _id: UUID_B } }), { field: "data.project", message: /give projectId/ });
    for (const key of ["incomingCallLog", "user", "incomingCallPolicyEscalationRule"]) {
      throwsDomain(() => parseCreateData({ ...minimal, [key]: { _id: UUID_B } }), { field: `data.${key}` });
    }
  });

  it("unknown fields are a 400 naming the key", () => {
    throwsDomain(() => parseCreateData({ ...minimal, isAnwsered: true }), { code: "unknown_field", field: "data.isAnwsered" });
    throwsDomain(() => parseCreateData({ ...minimal, miscDataProps: {} }), { field: "data.miscDataProps" });
  });

  it("length limits: status 100, statusMessage 500, phones 30", () => {
    assert.equal(parseCreateData({ ...minimal, status: "x".repeat(100) }).status.length, 100);
    throwsDomain(() => parseCreateData({ ...minimal, status: "x".repeat(101) }), { field: "data.status", message: /longer than 100/ });
    assert.equal(parseCreateData({ ...minimal, statusMessage: "x".repeat(500) }).statusMessage?.length, 500);
    throwsDomain(() => parseCreateData({ ...minimal, statusMessage: "x".repeat(501) }), { field: "data.statusMessage" });
    throwsDomain(() => parseCreateData({ ...minimal, userPhoneNumber: "+45 81 80 88 88 - - - - - - - - -" }), { field: "data.userPhoneNumber" });
    throwsDomain(() => parseCreateData({ ...minimal, userPhoneNumber: "call me" }), { field: "data.userPhoneNumber" });
  });

  it("status is 1 to 100 characters of something", () => {
    throwsDomain(() => parseCreateData({ ...minimal, status: "" }), { field: "data.status" });
    throwsDomain(() => parseCreateData({ ...minimal, status: "   " }), { field: "data.status" });
    throwsDomain(() => parseCreateData({ ...minimal, status: 3 }), { field: "data.status" });
  });

  it("counts and costs are non-negative integers", () => {
    for (const bad of [-1, 1.5, "10", 2147483648, true]) {
      throwsDomain(() => parseCreateData({ ...minimal, callCostInUSDCents: bad }), { field: "data.callCostInUSDCents" });
      throwsDomain(() => parseCreateData({ ...minimal, dialDurationInSeconds: bad }), { field: "data.dialDurationInSeconds" });
    }
  });

  it("bad uuids, dates and booleans are a 400 naming the key", () => {
    throwsDomain(() => parseCreateData({ ...minimal, incomingCallLogId: "42" }), { field: "data.incomingCallLogId" });
    throwsDomain(() => parseCreateData({ ...minimal, startedAt: "yesterday" }), { field: "data.startedAt" });
    throwsDomain(() => parseCreateData({ ...minimal, isAnswered: "yes" }), { field: "data.isAnswered" });
    throwsDomain(() => parseCreateData({ ...minimal, startedAt: { _type: "ObjectID", value: UUID_A } }), { field: "data.startedAt" });
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
      throwsDomain(() => parseUpdateData({ [key]: UUID_A }), { field: `data.${key}`, message: /cannot be changed by update/ });
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

  it("required fields may not be nulled", () => {
    throwsDomain(() => parseUpdateData({ status: null }), { field: "data.status" });
    throwsDomain(() => parseUpdateData({ isAnswered: null }), { field: "data.isAnswered" });
  });
});
