import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { mayFilterByMessage, telecomxMonthRange, telecomxVisibleFields, type AccessLevel } from "../src/index.js";
import { throwsDomain } from "./helpers.js";

describe("TelecomX field visibility", () => {
  // [level, ownProject] → [message, cost, wholeSale, price]
  const matrix: Array<[AccessLevel, boolean, [boolean, boolean, boolean, boolean]]> = [
    ["VIEWER", true, [false, false, false, true]],
    ["MANAGER", true, [false, false, false, true]],
    ["OWNER", true, [true, false, false, true]],
    ["OWNER", false, [false, false, false, true]],
    ["RESELLER", true, [true, false, true, true]],
    ["RESELLER", false, [false, false, true, true]],
    ["ADMIN", true, [true, true, true, true]],
    ["ADMIN", false, [true, true, true, true]],
  ];
  for (const [level, own, [message, cost, wholeSale, price]] of matrix) {
    it(`a ${level} on ${own ? "its own" : "another"} project's message sees message=${message} cost=${cost} wholeSale=${wholeSale} price=${price}`, () => {
      assert.deepEqual(telecomxVisibleFields(level, own), { message, cost, wholeSale, price });
    });
  }
});

describe("filtering by message", () => {
  it("is allowed only where every matching row is visible in full", () => {
    assert.equal(mayFilterByMessage("VIEWER", true), false);
    assert.equal(mayFilterByMessage("MANAGER", true), false);
    assert.equal(mayFilterByMessage("OWNER", true), true);
    assert.equal(mayFilterByMessage("RESELLER", true), true);
    assert.equal(mayFilterByMessage("RESELLER", false), false);
    assert.equal(mayFilterByMessage("ADMIN", false), true);
  });
});

describe("TelecomX month range", () => {
  it("covers whole UTC months, inclusive", () => {
    assert.deepEqual(telecomxMonthRange("2014-01", "2014-01"), {
      from: new Date("2014-01-01T00:00:00.000Z"),
      toExclusive: new Date("2014-02-01T00:00:00.000Z"),
    });
    assert.deepEqual(telecomxMonthRange(undefined, "2014-12"), { toExclusive: new Date("2015-01-01T00:00:00.000Z") });
    assert.deepEqual(telecomxMonthRange("2014-03"), { from: new Date("2014-03-01T00:00:00.000Z") });
    assert.deepEqual(telecomxMonthRange(), {});
  });

  it("bad formats are a 400 naming the parameter", () => {
    for (const bad of ["2014-1", "2014-13", "2014-00", "14-01", "2014/01", "2014-01-01", ""]) {
      throwsDomain(() => telecomxMonthRange(bad), { field: "fromDate", message: /YYYY-MM/ });
      throwsDomain(() => telecomxMonthRange(undefined, bad), { field: "toDate" });
    }
  });

  it("fromDate after toDate is a 400", () => {
    throwsDomain(() => telecomxMonthRange("2014-02", "2014-01"), { field: "fromDate", message: /after toDate/ });
  });
});
