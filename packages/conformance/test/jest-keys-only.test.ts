import assert from "node:assert/strict";
import { afterAll, describe, it } from "@jest/globals";
import { describeConformance } from "@commlog/conformance/jest";
import { cleanUp, provision } from "../src/provisioning.js";
import { freshDatabase } from "./support/postgres.js";
import { adminToken, startServer } from "./support/server.js";

// The jest entry point in keys-only mode against the real server on PostgreSQL without an admin
// token (its internal API is off); the keys come from a second server process on the same
// database that has the token. The scenarios keys-only mode does not run are skipped tests.
// Skipped where PostgreSQL is unreachable, except under CI=true, which requires it.
const db = await freshDatabase();
if (db) {
  const admin = await startServer({ databaseUrl: db.url });
  const noToken = await startServer({ databaseUrl: db.url, adminToken: null });
  const world = await provision(admin.url, adminToken);
  afterAll(async () => {
    assert.deepEqual(await cleanUp(admin.url, adminToken, world), []);
    await noToken.stop();
    await admin.stop();
    await db.drop();
  });
  describeConformance({
    baseUrl: noToken.url,
    keys: { project: world.keys.a1Owner, otherProject: world.keys.b1Owner, reseller: world.keys.resellerA },
    fuzzCases: 500,
    name: "conformance scenarios (jest entry, keys-only) on PostgreSQL without an admin token",
  });
} else if (process.env.CI === "true") {
  describe("conformance scenarios (jest entry, keys-only) on PostgreSQL", () => {
    it("needs PostgreSQL", () => assert.fail("PostgreSQL is unreachable, and CI requires it"));
  });
} else {
  describe.skip("conformance scenarios (jest entry, keys-only) on PostgreSQL (PostgreSQL is unreachable)", () => {
    it("needs PostgreSQL", () => undefined);
  });
}
