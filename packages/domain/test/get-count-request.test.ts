import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { exolveWindow, parseExolveGetCount } from "../src/index.js";
import { throwsDomain } from "./helpers.js";

describe("Exolve GetCount body", () => {
  it("the seed's example parses", () => {
    const f = parseExolveGetCount({
      message_id: "444067567615608452",
      limit: "10000",
      offset: "0",
      number: "79678880033",
      direction: "DIRECTION_OUTGOING",
      delivery_status: "DELIVERY_STATUS_DELIVERED",
      billing_status: "BILLING_STATUS_BILLED",
      status: "STATUS_DELIVERED",
      date_gte: "2023-01-20T11:30:01.335Z",
      date_lte: "2023-01-20T11:39:01.335Z",
    });
    assert.deepEqual(f, {
      messageId: "444067567615608452",
      limit: 10000n,
      number: { digits: "79678880033", senderName: "79678880033" },
      direction: "outgoing",
      deliveryStatus: "delivered",
      billingStatus: "billed",
      status: "DELIVERED",
      dateGte: new Date("2023-01-20T11:30:01.335Z"),
      dateLte: new Date("2023-01-20T11:39:01.335Z"),
    });
  });

  it("an empty or absent body counts everything", () => {
    assert.deepEqual(parseExolveGetCount({}), {});
    assert.deepEqual(parseExolveGetCount(undefined), {});
  });

  it("lowerCamelCase names are accepted too", () => {
    const f = parseExolveGetCount({
      messageId: "7",
      deliveryStatus: 4,
      billingStatus: "BILLING_STATUS_UNDERFUNDED",
      dateGte: "2023-01-20T00:00:00Z",
      dateLte: "2023-01-21T00:00:00Z",
    });
    assert.deepEqual(f, {
      messageId: "7",
      deliveryStatus: "failed",
      billingStatus: "underfunded",
      dateGte: new Date("2023-01-20T00:00:00Z"),
      dateLte: new Date("2023-01-21T00:00:00Z"),
    });
  });

  it("each enum field accepts its names and numbers", () => {
    assert.equal(parseExolveGetCount({ direction: 1 }).direction, "incoming");
    assert.equal(parseExolveGetCount({ direction: "DIRECTION_INCOMING" }).direction, "incoming");
    assert.equal(parseExolveGetCount({ delivery_status: 2 }).deliveryStatus, "transmitted");
    assert.equal(parseExolveGetCount({ billing_status: 5 }).billingStatus, "refunded");
    assert.equal(parseExolveGetCount({ status: 5 }).status, "UNDERFUNDED");
    assert.equal(parseExolveGetCount({ status: "STATUS_QUEUED" }).status, "QUEUED");
  });

  it("proto3 defaults (0, empty string, UNSPECIFIED, null) mean unset", () => {
    assert.deepEqual(
      parseExolveGetCount({
        message_id: "",
        limit: 0,
        offset: "0",
        number: "",
        direction: "DIRECTION_UNSPECIFIED",
        delivery_status: 0,
        billing_status: "",
        status: null,
        date_gte: "",
      }),
      {},
    );
  });

  it("a message_id beyond 2^53 is kept exact", () => {
    assert.equal(parseExolveGetCount({ message_id: "9007199254740993" }).messageId, "9007199254740993");
    assert.equal(parseExolveGetCount({ message_id: "9223372036854775807" }).messageId, "9223372036854775807");
    // The ledger accepts any uint64 at ingest, so GetCount must be able to name every one of them.
    assert.equal(parseExolveGetCount({ message_id: "18446744073709551615" }).messageId, "18446744073709551615");
    assert.equal(parseExolveGetCount({ message_id: "0007" }).messageId, "7");
    assert.equal(parseExolveGetCount({ message_id: 42 }).messageId, "42");
  });

  it("a message_id that is not a 64-bit decimal is an invalid value", () => {
    for (const bad of ["abc", "-1", "1e3", "12.0", " 12", "18446744073709551616", 9007199254740993, true]) {
      throwsDomain(() => parseExolveGetCount({ message_id: bad }), { code: "invalid_value", field: "message_id", message: /^invalid value: message_id/ });
    }
  });

  it("limit is a uint32: 4294967295 fits, 4294967296 overflows", () => {
    assert.equal(parseExolveGetCount({ limit: "4294967295" }).limit, 4294967295n);
    assert.equal(parseExolveGetCount({ limit: 4294967295 }).limit, 4294967295n);
    throwsDomain(() => parseExolveGetCount({ limit: "4294967296" }), { code: "invalid_value", message: /^invalid value: limit/ });
    throwsDomain(() => parseExolveGetCount({ limit: 4294967296 }), { code: "invalid_value", message: /^invalid value: limit/ });
  });

  it("offset is a uint64 kept as a BigInt", () => {
    assert.equal(parseExolveGetCount({ offset: "18446744073709551615" }).offset, 18446744073709551615n);
    throwsDomain(() => parseExolveGetCount({ offset: "18446744073709551616" }), { message: /^invalid value: offset/ });
  });

  it("integers must be whole, non-negative, decimal", () => {
    for (const bad of [-1, 1.5, "-1", "1.5", "0x10", "ten", "", true, [], {}]) {
      if (bad === "") continue; // empty string is the proto3 default: unset
      throwsDomain(() => parseExolveGetCount({ limit: bad }), { code: "invalid_value", field: "limit" });
    }
  });

  it("number keeps digits for phones and the text for sender names", () => {
    assert.deepEqual(parseExolveGetCount({ number: "+7 967 888-00-33" }).number, { digits: "79678880033", senderName: "+7 967 888-00-33" });
    assert.deepEqual(parseExolveGetCount({ number: "Voicemail" }).number, { senderName: "Voicemail" });
    throwsDomain(() => parseExolveGetCount({ number: 79678880033 }), { code: "invalid_value", field: "number" });
  });

  it("dates accept offsets and fractional seconds, inclusive at the millisecond", () => {
    const f = parseExolveGetCount({ date_gte: "2023-01-20T14:30:01.3351+03:00", date_lte: "2023-01-20T11:39:01.3359Z" });
    assert.equal(f.dateGte?.toISOString(), "2023-01-20T11:30:01.336Z");
    assert.equal(f.dateLte?.toISOString(), "2023-01-20T11:39:01.335Z");
    assert.equal(parseExolveGetCount({ date_gte: "2023-01-20T11:30:01-00:30" }).dateGte?.toISOString(), "2023-01-20T12:00:01.000Z");
  });

  it("bad dates are invalid values", () => {
    for (const bad of ["2023-01-20", "2023-01-20T11:30:01", "2023-02-30T00:00:00Z", "20 Jan 2023", 1674214201]) {
      throwsDomain(() => parseExolveGetCount({ date_lte: bad }), { code: "invalid_value", field: "date_lte", message: /^invalid value: date_lte/ });
    }
  });

  it("unknown enum values are invalid values naming the field as sent", () => {
    throwsDomain(() => parseExolveGetCount({ deliveryStatus: "DELIVERED" }), { code: "invalid_value", message: /^invalid value: delivery_status/ });
    throwsDomain(() => parseExolveGetCount({ status: 9 }), { code: "invalid_value", message: /^invalid value: status/ });
  });

  it("an unknown field is 'unknown field'", () => {
    for (const body of [{ foo: 1 }, { MessageId: "1" }, { message_Id: "1" }, { customer: "x" }]) {
      throwsDomain(() => parseExolveGetCount(body), { code: "unknown_field", status: 400, message: /^unknown field/ });
    }
  });

  it("a body that is not an object is a 'syntax error'", () => {
    for (const body of [null, [], "x", 1, true]) {
      throwsDomain(() => parseExolveGetCount(body), { code: "syntax_error", status: 400, message: /^syntax error/ });
    }
  });

  it("a field given under both spellings is a syntax error", () => {
    throwsDomain(() => parseExolveGetCount({ message_id: "1", messageId: "2" }), { code: "syntax_error", message: /^syntax error: field message_id given twice/ });
  });
});

describe("Exolve count window", () => {
  it("is min(max(total - offset, 0), limit)", () => {
    assert.equal(exolveWindow(10n), 10n);
    assert.equal(exolveWindow(10n, 3n), 7n);
    assert.equal(exolveWindow(10n, 3n, 5n), 5n);
    assert.equal(exolveWindow(10n, 12n, 5n), 0n);
    assert.equal(exolveWindow(10n, undefined, 100), 10n);
    assert.equal(exolveWindow(10n, 18446744073709551615n, 4294967295n), 0n);
  });
});
