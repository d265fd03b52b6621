import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "@jest/globals";
import { schemaValidator } from "./support/schema-validator.js";

type Example = { method: string; path: string; request?: Record<string, unknown>; response: unknown };
const seeds = JSON.parse(readFileSync(new URL("../fixtures/seed-examples.json", import.meta.url), "utf8")) as Record<
  "status200" | "telecomx" | "exolve",
  Record<string, Example>
>;

const clone = <T>(value: T): T => structuredClone(value);

for (const dialect of ["status200", "telecomx", "exolve"] as const) {
  describe(`${dialect} seed examples`, () => {
    const validator = schemaValidator(dialect);
    for (const [name, example] of Object.entries(seeds[dialect])) {
      if (example.request) {
        it(`accepts the ${name} request`, () => {
          const result = validator.request(example.method, example.path, example.request);
          assert.deepEqual(result.errors, []);
        });
      }
      it(`accepts the ${name} response`, () => {
        const result = validator.response(example.method, example.path, 200, example.response);
        assert.deepEqual(result.errors, []);
      });
    }
  });
}

/** One mutation of a valid seed request that the schema must reject. */
type Mutation = { name: string; dialect: "status200" | "exolve"; example: string; mutate(body: any): void };

const invalidVariants: Mutation[] = [
  { name: "limit 101 in the body", dialect: "status200", example: "smsLogList", mutate: (b) => (b.limit = 101) },
  { name: "limit 0 in the body", dialect: "status200", example: "smsLogList", mutate: (b) => (b.limit = 0) },
  { name: "a negative skip", dialect: "status200", example: "smsLogList", mutate: (b) => (b.skip = -1) },
  { name: "an unknown select field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.select.price = true) },
  { name: "an unknown query field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query.deliveryStatus = "delivered") },
  { name: "an unknown sort field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.sort = { cost: -1 }) },
  { name: "a sort order of 2", dialect: "status200", example: "smsLogList", mutate: (b) => (b.sort = { createdAt: 2 }) },
  { name: "an ordered operator on a text field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query.status = { _type: "GreaterThan", value: "A" }) },
  { name: "an ordered operator on a phone", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query.toNumber = { _type: "LessThan", value: "+4581808888" }) },
  { name: "a bad date", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query.createdAt = { _type: "GreaterThan", value: "2024-13-45" }) },
  { name: "a bad uuid", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query._id = "not-a-uuid") },
  { name: "a null on a required field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query.status = null) },
  { name: "a nested relation filter", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query.alert = { status: "x" }) },
  { name: "a create with a null isAnswered (it may be left out, SPEC §10, but is never null)", dialect: "status200", example: "itemCreate", mutate: (b) => (b.data.isAnswered = null) },
  { name: "a relation select with a non-identifier sub-field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.select.alert = { "not a name": true }) },
  { name: "a relation select with a false sub-field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.select.alert = { _id: false }) },
  { name: "a relation select with 51 sub-fields", dialect: "status200", example: "smsLogList", mutate: (b) => (b.select.alert = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, true]))) },
  { name: "an object select on a plain field", dialect: "status200", example: "smsLogList", mutate: (b) => (b.select.status = { _id: true }) },
  { name: "NotContains on an id", dialect: "status200", example: "smsLogList", mutate: (b) => (b.query._id = { _type: "NotContains", value: "a" }) },
  { name: "a create carrying _id", dialect: "status200", example: "itemCreate", mutate: (b) => (b.data._id = "550e8400-e29b-41d4-a716-446655440000") },
  { name: "a create with a relation object", dialect: "status200", example: "itemCreate", mutate: (b) => (b.data.project = { _id: "550e8400-e29b-41d4-a716-446655440000" }) },
  { name: "a create with a 101-character status", dialect: "status200", example: "itemCreate", mutate: (b) => (b.data.status = "x".repeat(101)) },
  { name: "a negative cost", dialect: "status200", example: "itemCreate", mutate: (b) => (b.data.callCostInUSDCents = -1) },
  { name: "an update of projectId", dialect: "status200", example: "itemUpdate", mutate: (b) => (b.data.projectId = "550e8400-e29b-41d4-a716-446655440000") },
  { name: "a wrong enum name", dialect: "exolve", example: "getCount", mutate: (b) => (b.direction = "DIRECTION_SIDEWAYS") },
  { name: "a wrong enum number", dialect: "exolve", example: "getCount", mutate: (b) => (b.status = 7) },
  { name: "a bad date", dialect: "exolve", example: "getCount", mutate: (b) => (b.date_gte = "20.01.2023") },
  { name: "an unknown field", dialect: "exolve", example: "getCount", mutate: (b) => (b.page = 1) },
  { name: "a non-numeric limit", dialect: "exolve", example: "getCount", mutate: (b) => (b.limit = "ten") },
];

describe("invalid variants of the seed requests", () => {
  const validators = { status200: schemaValidator("status200"), exolve: schemaValidator("exolve") };
  for (const variant of invalidVariants) {
    it(`${variant.dialect} ${variant.example}: rejects ${variant.name}`, () => {
      const example = seeds[variant.dialect][variant.example]!;
      const body = clone(example.request);
      variant.mutate(body);
      const result = validators[variant.dialect].request(example.method, example.path, body);
      assert.equal(result.valid, false);
    });
  }
});

describe("invalid variants of the seed responses", () => {
  const validator = schemaValidator("status200");
  it("rejects a list response without count", () => {
    const body = clone(seeds.status200.smsLogList!.response) as Record<string, unknown>;
    delete body.count;
    assert.equal(validator.response("POST", "/api/sms-log/get-list", 200, body).valid, false);
  });
  it("rejects an object without _id", () => {
    const body = clone(seeds.status200.smsLogGetItem!.response) as Record<string, unknown>;
    delete body._id;
    assert.equal(validator.response("POST", "/api/sms-log/{id}/get-item", 200, body).valid, false);
  });
  it("rejects a relation returned as a wrapped object", () => {
    const body = clone(seeds.status200.smsLogGetItem!.response) as Record<string, unknown>;
    body.alert = { _type: "ObjectID", value: body.alert };
    assert.equal(validator.response("POST", "/api/sms-log/{id}/get-item", 200, body).valid, false);
  });
});
