import assert from "node:assert/strict";
import { afterAll, describe, it } from "@jest/globals";
import { describeConformance } from "@commlog/conformance/jest";
import { freshDatabase } from "./support/postgres.js";
import { adminToken, startServer } from "./support/server.js";

// The suite through its jest entry point against the real built server on a fresh PostgreSQL
// database. Skipped where PostgreSQL is unreachable, except under CI=true, which requires it.
const fuzzCases = Number(process.env.CONFORMANCE_FUZZ_CASES ?? (process.env.CI === "true" ? "3000" : "1500"));

const db = await freshDatabase();
if (db) {
  const server = await startServer({ databaseUrl: db.url });
  afterAll(async () => {
    await server.stop();
    await db.drop();
  });
  describeConformance({ baseUrl: server.url, adminToken, seed: 23, fuzzCases, name: "conformance scenarios (jest entry) on PostgreSQL" });
} else if (process.env.CI === "true") {
  describe("conformance scenarios (jest entry) on PostgreSQL", () => {
    it("needs PostgreSQL", () => assert.fail("PostgreSQL is unreachable, and CI requires it"));
  });
} else {
  describe.skip("conformance scenarios (jest entry) on PostgreSQL (PostgreSQL is unreachable)", () => {
    it("needs PostgreSQL", () => undefined);
  });
}
