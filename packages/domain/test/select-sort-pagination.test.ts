import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { INCOMING_CALL_LOG, INCOMING_CALL_LOG_ITEM, MAX_RELATION_SUBFIELDS, SMS_LOG, parseGroupBy, parsePagination, parseSelect, parseSort } from "../src/index.js";
import { throwsDomain } from "./helpers.js";

describe("select", () => {
  it("without select an object carries only _id", () => {
    assert.deepEqual(parseSelect(SMS_LOG, undefined), [{ output: "_id", column: "_id", form: "id" }]);
    assert.deepEqual(parseSelect(SMS_LOG, {}), [{ output: "_id", column: "_id", form: "id" }]);
  });

  it("the seed's example selects fields and the alert relation as its id", () => {
    const s = parseSelect(SMS_LOG, { projectId: true, smsCostInUSDCents: true, status: true, toNumber: true, alert: true });
    assert.deepEqual(s, [
      { output: "_id", column: "_id", form: "id" },
      { output: "projectId", column: "projectId", form: "id" },
      { output: "smsCostInUSDCents", column: "smsCostInUSDCents", form: "id" },
      { output: "status", column: "status", form: "id" },
      { output: "toNumber", column: "toNumber", form: "id" },
      { output: "alert", column: "alertId", form: "id" },
    ]);
  });

  it("_id is always included, even when deselected, and only once", () => {
    assert.deepEqual(parseSelect(INCOMING_CALL_LOG_ITEM, { _id: false, isAnswered: true }), [
      { output: "_id", column: "_id", form: "id" },
      { output: "isAnswered", column: "isAnswered", form: "id" },
    ]);
    assert.equal(parseSelect(INCOMING_CALL_LOG_ITEM, { _id: true }).length, 1);
  });

  it("false is ignored", () => {
    assert.deepEqual(parseSelect(SMS_LOG, { status: false }), [{ output: "_id", column: "_id", form: "id" }]);
  });

  it("unknown fields, non-boolean values and a non-object select are a 400", () => {
    throwsDomain(() => parseSelect(SMS_LOG, { cost: true }), { code: "unknown_field", field: "select.cost" });
    throwsDomain(() => parseSelect(SMS_LOG, { status: 1 }), { field: "select.status" });
    throwsDomain(() => parseSelect(SMS_LOG, { alertId: { _id: true } }), { field: "select.alertId", message: /true or false/ });
    throwsDomain(() => parseSelect(SMS_LOG, { status: { _id: true } }), { field: "select.status" });
    throwsDomain(() => parseSelect(SMS_LOG, ["status"]), { field: "select" });
  });
});

describe("select: a relation in the object form (SPEC §10)", () => {
  it("an object of sub-fields selects the relation as {_id}, whatever the sub-field names", () => {
    assert.deepEqual(parseSelect(SMS_LOG, { alert: { _id: true, title: true }, project: { name: true } }), [
      { output: "_id", column: "_id", form: "id" },
      { output: "alert", column: "alertId", form: "object" },
      { output: "project", column: "projectId", form: "object" },
    ]);
    assert.deepEqual(parseSelect(SMS_LOG, { alert: {} })[1], { output: "alert", column: "alertId", form: "object" });
  });

  it("both forms can be mixed in one select, and true keeps returning the id", () => {
    const s = parseSelect(INCOMING_CALL_LOG_ITEM, { incomingCallLog: { _id: true }, user: true, incomingCallLogId: true });
    assert.deepEqual(
      s.map((x) => [x.output, x.form]),
      [["_id", "id"], ["incomingCallLog", "object"], ["user", "id"], ["incomingCallLogId", "id"]],
    );
  });

  it("every relation of every resource takes the object form", () => {
    for (const resource of [SMS_LOG, INCOMING_CALL_LOG, INCOMING_CALL_LOG_ITEM]) {
      for (const f of resource.fields.filter((x) => x.relation)) {
        assert.deepEqual(parseSelect(resource, { [f.relation!]: { _id: true } })[1], { output: f.relation, column: f.column, form: "object" });
      }
    }
  });

  it("sub-field names must be identifiers, at most 50, each true", () => {
    const fifty = Object.fromEntries(Array.from({ length: MAX_RELATION_SUBFIELDS }, (_, i) => [`f${i}`, true]));
    assert.equal(parseSelect(SMS_LOG, { alert: fifty })[1]!.form, "object");
    throwsDomain(() => parseSelect(SMS_LOG, { alert: { ...fifty, one: true } }), { code: "invalid_query", field: "select.alert", message: /more than 50/ });
    for (const bad of ["", "1st", "has space", "a-b", "a.b", "x".repeat(101), "é"]) {
      throwsDomain(() => parseSelect(SMS_LOG, { alert: { [bad]: true } }), { field: "select.alert", message: /not an identifier/ });
    }
    assert.equal(parseSelect(SMS_LOG, { alert: { $id: true, _x9: true, ["x".repeat(100)]: true } })[1]!.form, "object");
    for (const value of [false, 1, "yes", null, { _id: true }]) {
      throwsDomain(() => parseSelect(SMS_LOG, { alert: { _id: value } }), { field: "select.alert._id", message: /expected true/ });
    }
  });

  it("a non-boolean, non-object relation select is a 400 naming both forms", () => {
    throwsDomain(() => parseSelect(SMS_LOG, { alert: 1 }), { field: "select.alert", message: /an object of sub-fields/ });
    throwsDomain(() => parseSelect(SMS_LOG, { alert: [true] }), { field: "select.alert" });
  });
});

describe("sort", () => {
  it("defaults to createdAt descending with _id as tie-breaker", () => {
    const expected = [
      { column: "createdAt", direction: "DESC" },
      { column: "_id", direction: "DESC" },
    ];
    assert.deepEqual(parseSort(SMS_LOG, undefined), expected);
    assert.deepEqual(parseSort(SMS_LOG, {}), expected);
  });

  it("accepts ASC, DESC, 1 and -1", () => {
    assert.deepEqual(parseSort(SMS_LOG, { createdAt: -1 }), [
      { column: "createdAt", direction: "DESC" },
      { column: "_id", direction: "DESC" },
    ]);
    assert.deepEqual(parseSort(SMS_LOG, { status: "ASC", smsCostInUSDCents: 1 }), [
      { column: "status", direction: "ASC" },
      { column: "smsCostInUSDCents", direction: "ASC" },
      { column: "_id", direction: "ASC" },
    ]);
    assert.deepEqual(parseSort(SMS_LOG, { status: 1, createdAt: "DESC" }).at(-1), { column: "_id", direction: "DESC" });
  });

  it("an explicit _id is not repeated", () => {
    assert.deepEqual(parseSort(SMS_LOG, { _id: "ASC", createdAt: "DESC" }), [
      { column: "_id", direction: "ASC" },
      { column: "createdAt", direction: "DESC" },
    ]);
  });

  it("directions are case-sensitive and exact", () => {
    for (const bad of ["asc", "desc", 0, 2, "1", true, null]) {
      throwsDomain(() => parseSort(SMS_LOG, { createdAt: bad }), { field: "sort.createdAt" });
    }
  });

  it("unknown fields, relation aliases and unsortable columns are a 400", () => {
    throwsDomain(() => parseSort(SMS_LOG, { price: 1 }), { code: "unknown_field", field: "sort.price" });
    throwsDomain(() => parseSort(SMS_LOG, { alert: 1 }), { field: "sort.alert", message: /sort by alertId/ });
    throwsDomain(() => parseSort(SMS_LOG, { smsText: 1 }), { field: "sort.smsText" });
    throwsDomain(() => parseSort(SMS_LOG, { toNumber: 1 }), { field: "sort.toNumber" });
    throwsDomain(() => parseSort(SMS_LOG, "createdAt"), { field: "sort" });
  });

  it("relation id columns can be sorted on", () => {
    assert.deepEqual(parseSort(SMS_LOG, { alertId: 1 })[0], { column: "alertId", direction: "ASC" });
  });
});

describe("pagination", () => {
  it("defaults to skip 0, limit 10", () => {
    assert.deepEqual(parsePagination(), { skip: 0, limit: 10 });
    assert.deepEqual(parsePagination({}, {}), { skip: 0, limit: 10 });
  });

  it("limit 1 and 100 are the bounds", () => {
    assert.equal(parsePagination({ limit: "1" }).limit, 1);
    assert.equal(parsePagination({ limit: "100" }).limit, 100);
    assert.equal(parsePagination({}, { limit: 100 }).limit, 100);
  });

  it("limit 0, 101, negative, fractional or non-numeric is a 400 naming limit", () => {
    for (const bad of ["0", "101", "-1", "abc", "1.5", "", " 5", "1e2", 0, 101, -1, 1.5, Number.NaN, null, true, ["5", "6"]]) {
      throwsDomain(() => parsePagination({ limit: bad }), { code: "invalid_value", field: "limit", message: /^limit: must be an integer from 1 to 100/ });
      throwsDomain(() => parsePagination({}, { limit: bad }), { field: "limit" });
    }
  });

  it("skip is an integer >= 0", () => {
    assert.equal(parsePagination({ skip: "0" }).skip, 0);
    assert.equal(parsePagination({}, { skip: 1000 }).skip, 1000);
    for (const bad of ["-1", -1, "abc", 1.5, "1.5", ""]) {
      throwsDomain(() => parsePagination({ skip: bad }), { field: "skip", message: /^skip: must be an integer >= 0/ });
    }
  });

  it("the query string wins over the body", () => {
    assert.deepEqual(parsePagination({ skip: "5", limit: "20" }, { skip: 50, limit: 50 }), { skip: 5, limit: 20 });
    assert.deepEqual(parsePagination({ limit: "20" }, { skip: 50 }), { skip: 50, limit: 20 });
  });

  it("an invalid query string value is a 400 even when the body is valid", () => {
    throwsDomain(() => parsePagination({ limit: "0" }, { limit: 10 }), { field: "limit" });
  });
});

describe("groupBy", () => {
  it("the upstream client's empty groupBy is accepted", () => {
    parseGroupBy(undefined);
    parseGroupBy(null);
    parseGroupBy({});
  });

  it("a non-empty groupBy is a 400", () => {
    for (const bad of [{ status: true }, ["status"], "status"]) {
      throwsDomain(() => parseGroupBy(bad), { message: /^groupBy is not supported$/ });
    }
  });
});
