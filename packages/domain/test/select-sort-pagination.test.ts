import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { INCOMING_CALL_LOG_ITEM, SMS_LOG, parseGroupBy, parsePagination, parseSelect, parseSort } from "../src/index.js";
import { throwsDomain } from "./helpers.js";

describe("select", () => {
  it("without select an object carries only _id", () => {
    assert.deepEqual(parseSelect(SMS_LOG, undefined), [{ output: "_id", column: "_id" }]);
    assert.deepEqual(parseSelect(SMS_LOG, {}), [{ output: "_id", column: "_id" }]);
  });

  it("the seed's example selects fields and the alert relation as its id", () => {
    const s = parseSelect(SMS_LOG, { projectId: true, smsCostInUSDCents: true, status: true, toNumber: true, alert: true });
    assert.deepEqual(s, [
      { output: "_id", column: "_id" },
      { output: "projectId", column: "projectId" },
      { output: "smsCostInUSDCents", column: "smsCostInUSDCents" },
      { output: "status", column: "status" },
      { output: "toNumber", column: "toNumber" },
      { output: "alert", column: "alertId" },
    ]);
  });

  it("_id is always included, even when deselected, and only once", () => {
    assert.deepEqual(parseSelect(INCOMING_CALL_LOG_ITEM, { _id: false, isAnswered: true }), [
      { output: "_id", column: "_id" },
      { output: "isAnswered", column: "isAnswered" },
    ]);
    assert.equal(parseSelect(INCOMING_CALL_LOG_ITEM, { _id: true }).length, 1);
  });

  it("false is ignored", () => {
    assert.deepEqual(parseSelect(SMS_LOG, { status: false }), [{ output: "_id", column: "_id" }]);
  });

  it("unknown fields, non-boolean values and a non-object select are a 400", () => {
    throwsDomain(() => parseSelect(SMS_LOG, { cost: true }), { code: "unknown_field", field: "select.cost" });
    throwsDomain(() => parseSelect(SMS_LOG, { status: 1 }), { field: "select.status" });
    throwsDomain(() => parseSelect(SMS_LOG, { alert: { _id: true } }), { field: "select.alert" });
    throwsDomain(() => parseSelect(SMS_LOG, ["status"]), { field: "select" });
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
