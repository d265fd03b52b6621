import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import {
  INCOMING_CALL_LOG,
  INCOMING_CALL_LOG_ITEM,
  SMS_LOG,
  escapeLike,
  uuidPrefixRange,
  parseQuery,
  type Condition,
  type FieldKind,
  type ResourceDef,
} from "../src/index.js";
import { UUID_A, UUID_B, throwsDomain } from "./helpers.js";

const one = (resource: ResourceDef, query: Record<string, unknown>): Condition => {
  const conditions = parseQuery(resource, query);
  assert.equal(conditions.length, 1);
  return conditions[0]!;
};

// One nullable field per kind (booleans have none), with two sample values.
const SAMPLES: Record<FieldKind, { resource: ResourceDef; field: string; a: unknown; b: unknown; textValue?: unknown }> = {
  uuid: { resource: SMS_LOG, field: "alertId", a: UUID_A, b: UUID_B },
  date: { resource: INCOMING_CALL_LOG_ITEM, field: "startedAt", a: "2026-01-01T00:00:00.000Z", b: "2026-02-01T00:00:00.000Z" },
  text: { resource: SMS_LOG, field: "smsText", a: "hello", b: "world" },
  phone: { resource: SMS_LOG, field: "fromNumber", a: "+45 81 80 88 88", b: "+4581808889" },
  integer: { resource: INCOMING_CALL_LOG_ITEM, field: "dialDurationInSeconds", a: 5, b: 10 },
  boolean: { resource: INCOMING_CALL_LOG_ITEM, field: "isAnswered", a: true, b: false },
};

const ALL: FieldKind[] = ["uuid", "date", "text", "phone", "integer", "boolean"];
// Which kinds each operator applies to (on a nullable field where it matters).
const APPLIES: Record<string, FieldKind[]> = {
  EqualTo: ALL,
  NotEqual: ALL,
  GreaterThan: ["date", "integer"],
  GreaterThanOrEqual: ["date", "integer"],
  LessThan: ["date", "integer"],
  LessThanOrEqual: ["date", "integer"],
  InBetween: ["date", "integer"],
  Search: ["text", "phone", "uuid"],
  NotContains: ["text", "phone"],
  StartsWith: ["text", "phone", "uuid"],
  EndsWith: ["text", "phone", "uuid"],
  Includes: ["uuid", "date", "text", "phone", "integer"],
  IncludesNone: ["uuid", "date", "text", "phone", "integer"],
  IsNull: ["uuid", "date", "text", "phone", "integer"],
  NotNull: ["uuid", "date", "text", "phone", "integer"],
  EqualToOrNull: ["uuid", "date", "text", "phone", "integer"],
  GreaterThanOrNull: ["date", "integer"],
  LessThanOrNull: ["date", "integer"],
};

function operatorFor(type: string, s: (typeof SAMPLES)[FieldKind]): Record<string, unknown> {
  if (type === "InBetween") return { _type: type, startValue: s.a, endValue: s.b };
  if (type === "IsNull" || type === "NotNull") return { _type: type };
  if (type === "Includes" || type === "IncludesNone") return { _type: type, value: [s.a, s.b] };
  if (["Search", "NotContains", "StartsWith", "EndsWith"].includes(type)) return { _type: type, value: typeof s.a === "string" ? s.a : "x" };
  return { _type: type, value: s.a };
}

describe("query operators × field kinds", () => {
  for (const [type, kinds] of Object.entries(APPLIES)) {
    for (const kind of ALL) {
      const s = SAMPLES[kind];
      const applies = kinds.includes(kind);
      it(`${type} on a ${kind} field is ${applies ? "accepted" : "a 400 naming the field"}`, () => {
        const query = { [s.field]: operatorFor(type, s) };
        if (applies) {
          const c = one(s.resource, query);
          assert.equal(c.field, s.field);
          assert.equal(c.kind, kind);
        } else {
          throwsDomain(() => parseQuery(s.resource, query), { status: 400, field: `query.${s.field}`, message: new RegExp(`^query\\.${s.field}: `) });
        }
      });
    }
  }

  it("the message names the operator and the kind", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "GreaterThan", value: "a" } }), {
      code: "invalid_query",
      message: /^query\.status: operator "GreaterThan" does not apply to a text field; status takes EqualTo, NotEqual, Search, StartsWith, EndsWith, NotContains, Includes, IncludesNone$/,
    });
  });

  it("null operators on a field that is never null are a 400", () => {
    for (const type of ["IsNull", "NotNull", "EqualToOrNull", "GreaterThanOrNull", "LessThanOrNull"]) {
      const value = type === "EqualToOrNull" ? 5 : type === "IsNull" || type === "NotNull" ? undefined : 5;
      const op = value === undefined ? { _type: type } : { _type: type, value };
      throwsDomain(() => parseQuery(SMS_LOG, { smsCostInUSDCents: op }), { field: "query.smsCostInUSDCents", message: /never null/ });
    }
  });
});

describe("bare values", () => {
  it("a bare string on a text field is exact, case-sensitive equality", () => {
    assert.deepEqual(one(SMS_LOG, { status: "Delivered" }), { field: "status", column: "status", kind: "text", op: "eq", value: "Delivered" });
  });

  it("a bare null on a nullable field means is-null", () => {
    assert.deepEqual(one(SMS_LOG, { alertId: null }), { field: "alertId", column: "alertId", kind: "uuid", op: "isNull" });
  });

  it("a bare null on a field that is never null is a 400", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { status: null }), { field: "query.status" });
  });

  it("a bare array means any of", () => {
    assert.deepEqual(one(SMS_LOG, { status: ["Sent", "Delivered"] }), {
      field: "status",
      column: "status",
      kind: "text",
      op: "in",
      values: ["Sent", "Delivered"],
    });
  });

  it("an empty or null-holding array is a 400, never an empty filter", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { status: [] }), { field: "query.status", message: /empty/ });
    throwsDomain(() => parseQuery(SMS_LOG, { alertId: [null] }), { field: "query.alertId[0]" });
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "Includes", value: [] } }), { field: "query.status" });
  });

  it("a bare array on a boolean field is a 400", () => {
    throwsDomain(() => parseQuery(INCOMING_CALL_LOG_ITEM, { isAnswered: [true, false] }), { field: "query.isAnswered" });
  });

  it("booleans compare by equality and NotEqual", () => {
    assert.deepEqual(one(INCOMING_CALL_LOG_ITEM, { isAnswered: false }).value, false);
    assert.deepEqual(one(INCOMING_CALL_LOG_ITEM, { isAnswered: { _type: "NotEqual", value: true } }), {
      field: "isAnswered",
      column: "isAnswered",
      kind: "boolean",
      op: "ne",
      value: true,
    });
  });

  it("an undefined value is a 400, never dropped", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { _id: undefined }), { field: "query._id", message: /missing/ });
    throwsDomain(() => parseQuery(SMS_LOG, { _id: { _type: "EqualTo" } }), { field: "query._id" });
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "NotEqual", value: undefined } }), { field: "query.status" });
    throwsDomain(() => parseQuery(INCOMING_CALL_LOG_ITEM, { startedAt: { _type: "InBetween", startValue: "2026-01-01T00:00:00Z" } }), {
      field: "query.startedAt.endValue",
    });
  });

  it("every key yields one condition, ANDed in order", () => {
    const cs = parseQuery(SMS_LOG, { status: "Sent", smsCostInUSDCents: 75, toNumber: "+1-555-123-4567" });
    assert.deepEqual(cs.map((c) => [c.column, c.op, c.value]), [
      ["status", "eq", "Sent"],
      ["smsCostInUSDCents", "eq", 75],
      ["toNumberDigits", "eq", "15551234567"],
    ]);
  });

  it("no query, null or {} is no condition; a non-object query is a 400", () => {
    assert.deepEqual(parseQuery(SMS_LOG, undefined), []);
    assert.deepEqual(parseQuery(SMS_LOG, null), []);
    assert.deepEqual(parseQuery(SMS_LOG, {}), []);
    for (const bad of [[], "status", 1]) throwsDomain(() => parseQuery(SMS_LOG, bad), { field: "query" });
  });
});

describe("value types", () => {
  it("uuids are validated and lowercased", () => {
    assert.equal(one(SMS_LOG, { _id: UUID_A.toUpperCase() }).value, UUID_A);
    throwsDomain(() => parseQuery(SMS_LOG, { _id: "123" }), { code: "invalid_value", field: "query._id" });
    throwsDomain(() => parseQuery(SMS_LOG, { _id: 123 }), { field: "query._id" });
  });

  it("dates become Date objects", () => {
    const c = one(SMS_LOG, { createdAt: { _type: "GreaterThanOrEqual", value: "2026-01-01T02:00:00+02:00" } });
    assert.deepEqual(c, { field: "createdAt", column: "createdAt", kind: "date", op: "gte", value: new Date("2026-01-01T00:00:00.000Z") });
    throwsDomain(() => parseQuery(SMS_LOG, { createdAt: "last week" }), { field: "query.createdAt" });
  });

  it("integers must be integers", () => {
    for (const bad of ["75", 7.5, true]) throwsDomain(() => parseQuery(SMS_LOG, { smsCostInUSDCents: bad }), { field: "query.smsCostInUSDCents" });
    assert.equal(one(SMS_LOG, { smsCostInUSDCents: { _type: "LessThan", value: 100 } }).value, 100);
  });

  it("text fields take strings only", () => {
    for (const bad of [1, true, { _type: "ObjectID", value: UUID_A }]) throwsDomain(() => parseQuery(SMS_LOG, { status: bad }), { field: "query.status" });
  });

  it("booleans take true or false only", () => {
    for (const bad of ["true", 1, 0]) throwsDomain(() => parseQuery(INCOMING_CALL_LOG_ITEM, { isAnswered: bad }), { field: "query.isAnswered" });
  });

  it("phones are matched by digits on the digits column", () => {
    for (const v of ["+45 81 80 88 88", "+4581808888", "4581808888"]) {
      assert.deepEqual(one(SMS_LOG, { toNumber: v }), { field: "toNumber", column: "toNumberDigits", kind: "phone", op: "eq", value: "4581808888" });
    }
    assert.deepEqual(one(SMS_LOG, { toNumber: { _type: "Includes", value: ["+4581808888", { _type: "Phone", value: "+1 555 123 4567" }] } }).values, [
      "4581808888",
      "15551234567",
    ]);
    throwsDomain(() => parseQuery(SMS_LOG, { toNumber: "Voicemail" }), { field: "query.toNumber" });
    throwsDomain(() => parseQuery(SMS_LOG, { toNumber: "12" }), { field: "query.toNumber" });
  });

  it("phone text operators compare digits", () => {
    assert.deepEqual(one(SMS_LOG, { toNumber: { _type: "StartsWith", value: "+45 81" } }), {
      field: "toNumber",
      column: "toNumberDigits",
      kind: "phone",
      op: "startsWith",
      value: "4581",
      pattern: "4581%",
    });
    assert.equal(one(SMS_LOG, { toNumber: { _type: "Search", value: "80-88" } }).pattern, "%8088%");
    throwsDomain(() => parseQuery(SMS_LOG, { toNumber: { _type: "Search", value: "abc" } }), { field: "query.toNumber" });
    throwsDomain(() => parseQuery(SMS_LOG, { toNumber: { _type: "Search", value: "" } }), { field: "query.toNumber" });
  });

  it("ordered operators on phones are a 400", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { toNumber: { _type: "GreaterThan", value: "+4581808888" } }), {
      field: "query.toNumber",
      message: /does not apply to a phone field/,
    });
  });

  it("InBetween is inclusive with typed bounds", () => {
    assert.deepEqual(one(SMS_LOG, { smsCostInUSDCents: { _type: "InBetween", startValue: 10, endValue: 20 } }), {
      field: "smsCostInUSDCents",
      column: "smsCostInUSDCents",
      kind: "integer",
      op: "between",
      start: 10,
      end: 20,
    });
    const c = one(SMS_LOG, {
      createdAt: { _type: "InBetween", startValue: { _type: "DateTime", value: "2026-01-01T00:00:00Z" }, endValue: "2026-01-31" },
    });
    assert.deepEqual([c.start, c.end], [new Date("2026-01-01T00:00:00Z"), new Date("2026-01-31T00:00:00Z")]);
  });

  it("operator-or-null forms keep their value", () => {
    const c = one(INCOMING_CALL_LOG_ITEM, { dialDurationInSeconds: { _type: "GreaterThanOrNull", value: 30 } });
    assert.deepEqual([c.op, c.value], ["gtOrNull", 30]);
    assert.equal(one(INCOMING_CALL_LOG_ITEM, { endedAt: { _type: "LessThanOrNull", value: "2026-01-01T00:00:00Z" } }).op, "ltOrNull");
    assert.deepEqual(one(SMS_LOG, { alertId: { _type: "EqualToOrNull", value: UUID_A } }), {
      field: "alertId",
      column: "alertId",
      kind: "uuid",
      op: "eqOrNull",
      value: UUID_A,
    });
  });

  it("IsNull and NotNull carry no value", () => {
    assert.deepEqual(one(SMS_LOG, { fromNumber: { _type: "NotNull" } }), { field: "fromNumber", column: "fromNumberDigits", kind: "phone", op: "notNull" });
    throwsDomain(() => parseQuery(SMS_LOG, { fromNumber: { _type: "IsNull", value: "x" } }), { field: "query.fromNumber", message: /unexpected key "value"/ });
  });

  it("unknown operators and stray keys are a 400", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "Like", value: "%" } }), { field: "query.status", message: /unknown operator "Like"/ });
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "toString", value: "x" } }), { message: /unknown operator/ });
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "EqualTo", value: "x", caseSensitive: false } }), { message: /unexpected key/ });
    throwsDomain(() => parseQuery(SMS_LOG, { status: { _type: "Includes", value: "Sent" } }), { message: /expects "value" to be a list/ });
  });
});

describe("typed wrappers", () => {
  it("are accepted wherever a plain value is", () => {
    assert.equal(one(SMS_LOG, { projectId: { _type: "ObjectID", value: UUID_A } }).value, UUID_A);
    assert.deepEqual(one(SMS_LOG, { createdAt: { _type: "DateTime", value: "2026-01-01T00:00:00.000Z" } }).value, new Date("2026-01-01T00:00:00.000Z"));
    assert.equal(one(SMS_LOG, { toNumber: { _type: "Phone", value: "+4581808888" } }).value, "4581808888");
    assert.deepEqual(one(SMS_LOG, { alertId: [{ _type: "ObjectID", value: UUID_A }, UUID_B] }).values, [UUID_A, UUID_B]);
    assert.equal(one(SMS_LOG, { alertId: { _type: "NotEqual", value: { _type: "ObjectID", value: UUID_B } } }).value, UUID_B);
    assert.equal(one(SMS_LOG, { fromNumber: { _type: "EndsWith", value: { _type: "Phone", value: "88 88" } } }).pattern, "%8888");
  });

  it("a wrapper that does not fit the field is a 400", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { createdAt: { _type: "ObjectID", value: UUID_A } }), { field: "query.createdAt" });
    throwsDomain(() => parseQuery(SMS_LOG, { smsCostInUSDCents: { _type: "Phone", value: "123" } }), { field: "query.smsCostInUSDCents" });
  });

  it("a wrapper's value is still validated", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { projectId: { _type: "ObjectID", value: "nope" } }), { field: "query.projectId" });
    throwsDomain(() => parseQuery(SMS_LOG, { projectId: { _type: "ObjectID", value: null } }), { field: "query.projectId" });
  });
});

describe("case-insensitive text operators treat % and _ literally", () => {
  it("Search, StartsWith, EndsWith and NotContains build lowercased patterns", () => {
    const cases: Array<[string, string, string]> = [
      ["Search", "contains", "%hello%"],
      ["StartsWith", "startsWith", "hello%"],
      ["EndsWith", "endsWith", "%hello"],
      ["NotContains", "notContains", "%hello%"],
    ];
    for (const [type, op, pattern] of cases) {
      assert.deepEqual(one(SMS_LOG, { smsText: { _type: type, value: "HeLLo" } }), { field: "smsText", column: "smsText", kind: "text", op, value: "hello", pattern });
    }
  });

  it("% and _ and the escape character itself are escaped", () => {
    assert.equal(escapeLike("100%_off\\now"), "100\\%\\_off\\\\now");
    assert.equal(one(SMS_LOG, { smsText: { _type: "Search", value: "50%_" } }).pattern, "%50\\%\\_%");
    assert.equal(one(SMS_LOG, { statusMessage: { _type: "StartsWith", value: "a\\b" } }).pattern, "a\\\\b%");
    assert.equal(one(SMS_LOG, { smsText: { _type: "EndsWith", value: "%" } }).pattern, "%\\%");
  });

  it("a text operator value must be a string", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { smsText: { _type: "Search", value: 5 } }), { field: "query.smsText" });
  });
});

describe("fields and relations", () => {
  it("an unknown field is a 400 naming it", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { price: 1 }), { code: "unknown_field", field: "query.price", message: /^query\.price: unknown field/ });
    throwsDomain(() => parseQuery(SMS_LOG, { __proto__: 1, constructor: 1 } as Record<string, unknown>), { code: "unknown_field" });
    throwsDomain(() => parseQuery(SMS_LOG, JSON.parse('{"__proto__": "x"}')), { code: "unknown_field", field: "query.__proto__" });
  });

  it("fields of one dialect are not fields of another", () => {
    for (const f of ["direction", "deliveryStatus", "messageId", "cost", "isAnswered"]) {
      throwsDomain(() => parseQuery(SMS_LOG, { [f]: "x" }), { code: "unknown_field" });
    }
  });

  it("relation names alias their id columns", () => {
    assert.deepEqual(one(SMS_LOG, { alert: UUID_A }), { field: "alert", column: "alertId", kind: "uuid", op: "eq", value: UUID_A });
    assert.deepEqual(one(INCOMING_CALL_LOG, { answeredByUser: null }), { field: "answeredByUser", column: "answeredByUserId", kind: "uuid", op: "isNull" });
  });

  it("a project filter is just another ANDed condition on projectId", () => {
    assert.deepEqual(one(SMS_LOG, { project: UUID_B }), { field: "project", column: "projectId", kind: "uuid", op: "eq", value: UUID_B });
    assert.equal(one(SMS_LOG, { projectId: { _type: "ObjectID", value: UUID_B } }).column, "projectId");
  });

  it("a relation given a nested filter object is a 400", () => {
    throwsDomain(() => parseQuery(INCOMING_CALL_LOG_ITEM, { incomingCallLog: { status: "x" } }), {
      code: "invalid_query",
      field: "query.incomingCallLog",
      message: /related incomingCallLog are not supported/,
    });
    throwsDomain(() => parseQuery(SMS_LOG, { project: { _id: UUID_A } }), { field: "query.project" });
    throwsDomain(() => parseQuery(SMS_LOG, { status: { value: "x" } }), { field: "query.status" });
  });

  it("each resource knows its own fields", () => {
    assert.equal(one(INCOMING_CALL_LOG_ITEM, { incomingCallLog: UUID_A }).column, "incomingCallLogId");
    assert.equal(one(INCOMING_CALL_LOG_ITEM, { userPhoneNumber: "+4581808888" }).column, "userPhoneNumberDigits");
    assert.equal(one(INCOMING_CALL_LOG, { callerPhoneNumber: "+4581808888" }).column, "callerPhoneNumberDigits");
    assert.equal(one(INCOMING_CALL_LOG, { incomingCallCostInUSDCents: { _type: "GreaterThan", value: 0 } }).op, "gt");
  });
});

describe("text operators on id fields (SPEC §10)", () => {
  it("Search and EndsWith match the lowercase uuid text, case-insensitively, % and _ literal", () => {
    assert.deepEqual(one(SMS_LOG, { _id: { _type: "Search", value: "89AB-23" } }), {
      field: "_id", column: "_id", kind: "uuid", op: "contains", value: "89ab-23", pattern: "%89ab-23%",
    });
    assert.deepEqual(one(SMS_LOG, { alert: { _type: "EndsWith", value: "ABCDEF" } }), {
      field: "alert", column: "alertId", kind: "uuid", op: "endsWith", value: "abcdef", pattern: "%abcdef",
    });
    assert.equal(one(SMS_LOG, { projectId: { _type: "Search", value: "%_" } }).pattern, "%\\%\\_%");
  });

  it("StartsWith with a canonical prefix is the range of ids it covers (index-friendly)", () => {
    assert.deepEqual(one(SMS_LOG, { _id: { _type: "StartsWith", value: "D4E5F6A7-8" } }), {
      field: "_id", column: "_id", kind: "uuid", op: "between",
      start: "d4e5f6a7-8000-0000-0000-000000000000", end: "d4e5f6a7-8fff-ffff-ffff-ffffffffffff",
    });
    assert.deepEqual(one(INCOMING_CALL_LOG_ITEM, { incomingCallLogId: { _type: "StartsWith", value: "" } }), {
      field: "incomingCallLogId", column: "incomingCallLogId", kind: "uuid", op: "between",
      start: "00000000-0000-0000-0000-000000000000", end: "ffffffff-ffff-ffff-ffff-ffffffffffff",
    });
    const whole = one(SMS_LOG, { projectId: { _type: "StartsWith", value: UUID_A.toUpperCase() } });
    assert.equal(whole.start, UUID_A);
    assert.equal(whole.end, UUID_A);
  });

  it("the range holds exactly the uuids with the prefix", () => {
    const all = uuidPrefixRange("")!;
    assert.ok(all.start <= UUID_B && UUID_B <= all.end);
    for (const prefix of ["3", "37789690", "37789690-", "37789690-28fe-11f1-b591-3fdcef396ab"]) {
      const r = uuidPrefixRange(prefix)!;
      assert.ok(r.start <= UUID_A && UUID_A <= r.end, prefix);
      assert.ok(!(r.start <= UUID_B && UUID_B <= r.end), prefix);
    }
  });

  it("StartsWith with a prefix no uuid text has stays a LIKE that matches nothing", () => {
    for (const value of ["xyz", "d4e5f6a78", "d4e5-", "%", "d4e5f6a7-89ab-23de-f456-456789abcdef0"]) {
      const c = one(SMS_LOG, { alertId: { _type: "StartsWith", value } });
      assert.equal(c.op, "startsWith", value);
      assert.equal(c.pattern, `${escapeLike(value.toLowerCase())}%`);
      assert.equal(uuidPrefixRange(value), undefined);
    }
  });

  it("NotContains and ordered operators still do not apply to ids; the value must be a string", () => {
    throwsDomain(() => parseQuery(SMS_LOG, { _id: { _type: "NotContains", value: "a" } }), { field: "query._id", message: /does not apply to a uuid field/ });
    throwsDomain(() => parseQuery(SMS_LOG, { _id: { _type: "GreaterThan", value: UUID_A } }), { field: "query._id" });
    throwsDomain(() => parseQuery(SMS_LOG, { _id: { _type: "Search", value: 5 } }), { field: "query._id" });
  });
});
