import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { parseDate, parseRfc3339, parseUuid, unwrap } from "../src/index.js";
import { throwsDomain } from "./helpers.js";

describe("uuids", () => {
  it("accept any version or variant and are lowercased", () => {
    assert.equal(parseUuid("D4E5F6A7-89AB-23DE-F456-456789ABCDEF", "id"), "d4e5f6a7-89ab-23de-f456-456789abcdef");
    assert.equal(parseUuid("550e8400-e29b-41d4-a716-446655440000", "id"), "550e8400-e29b-41d4-a716-446655440000");
  });

  it("anything else is a 400 naming the field", () => {
    for (const bad of ["123457890ABCDEF12345678", "550e8400e29b41d4a716446655440000", "", 42, null]) {
      throwsDomain(() => parseUuid(bad, "query._id"), { code: "invalid_value", field: "query._id", message: /^query\._id: expected a uuid/ });
    }
  });
});

describe("dates", () => {
  it("RFC 3339 with Z, offsets and any fraction", () => {
    assert.equal(parseRfc3339("2023-01-20T11:30:01.335Z")?.toISOString(), "2023-01-20T11:30:01.335Z");
    assert.equal(parseRfc3339("2023-01-20T11:30:01Z")?.toISOString(), "2023-01-20T11:30:01.000Z");
    assert.equal(parseRfc3339("2023-01-20T14:30:01.5+03:00")?.toISOString(), "2023-01-20T11:30:01.500Z");
    assert.equal(parseRfc3339("2023-01-20T06:00:00-05:30")?.toISOString(), "2023-01-20T11:30:00.000Z");
    assert.equal(parseRfc3339("2023-01-20t11:30:01.123456789z")?.toISOString(), "2023-01-20T11:30:01.123Z");
  });

  it("sub-millisecond digits round down, or up for lower bounds", () => {
    assert.equal(parseRfc3339("2023-01-20T11:30:01.3351Z", "floor")?.toISOString(), "2023-01-20T11:30:01.335Z");
    assert.equal(parseRfc3339("2023-01-20T11:30:01.3351Z", "ceil")?.toISOString(), "2023-01-20T11:30:01.336Z");
    assert.equal(parseRfc3339("2023-01-20T11:30:01.3350Z", "ceil")?.toISOString(), "2023-01-20T11:30:01.335Z");
  });

  it("impossible calendar dates and missing offsets are not RFC 3339", () => {
    for (const bad of ["2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-01-20T24:00:00Z", "2023-01-20T11:30:01", "2023-01-20", "yesterday"]) {
      assert.equal(parseRfc3339(bad), undefined, bad);
    }
    assert.ok(parseRfc3339("2024-02-29T00:00:00Z"));
  });

  it("Status200 dates also accept a bare day as UTC midnight", () => {
    assert.equal(parseDate("2026-01-01", "query.createdAt").toISOString(), "2026-01-01T00:00:00.000Z");
    throwsDomain(() => parseDate("2026-01-01T00:00:00", "query.createdAt"), { field: "query.createdAt" });
    throwsDomain(() => parseDate(1700000000000, "query.createdAt"), { field: "query.createdAt" });
  });
});

describe("typed wrappers", () => {
  it("unwrap when they fit the field and reject when they do not", () => {
    assert.equal(unwrap({ _type: "ObjectID", value: "x" }, "ObjectID", "f"), "x");
    assert.equal(unwrap("plain", "ObjectID", "f"), "plain");
    throwsDomain(() => unwrap({ _type: "DateTime", value: "x" }, "ObjectID", "f"), { field: "f", message: /DateTime value does not fit/ });
    throwsDomain(() => unwrap({ _type: "Phone" }, "Phone", "f"), { message: /missing "value"/ });
    throwsDomain(() => unwrap({ _type: "Phone", value: "112", extra: 1 }, "Phone", "f"), { message: /unexpected key "extra"/ });
  });
});
