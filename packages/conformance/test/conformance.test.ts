import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { runCli } from "./support/cli.js";
import { freshDatabase, postgresReachable } from "./support/postgres.js";
import { adminToken, startServer, type RunningServer } from "./support/server.js";

// Several thousand fuzz cases per engine in CI, fewer locally.
const fuzzCases = process.env.CONFORMANCE_FUZZ_CASES ?? (process.env.CI === "true" ? "3000" : "1500");

describe("the CLI against the real server on SQLite", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.stop());

  it("passes, prints a green summary and writes JUnit XML", async () => {
    const junitFile = path.join(mkdtempSync(path.join(tmpdir(), "conformance-junit-")), "report.xml");
    const { code, stdout, stderr } = await runCli(["--base-url", server.url, "--admin-token", adminToken, "--fuzz-cases", fuzzCases, "--seed", "7", "--junit", junitFile]);
    assert.equal(code, 0, `expected exit 0:\n${stdout.slice(-6000)}\n${stderr}`);
    assert.match(stdout, /all \d+ scenarios passed/);
    for (const dialect of ["status200", "telecomx", "exolve", "internal"]) assert.match(stdout, new RegExp(`^${dialect}: \\d+ passed$`, "m"));
    const xml = readFileSync(junitFile, "utf8");
    assert.match(xml, /<testsuites name="commlog-conformance" tests="\d+" failures="0"/);
    assert.match(xml, /<testsuite name="telecomx"/);
  });

  it("runs one dialect, and a second run against the same deployment does not collide", async () => {
    for (let run = 0; run < 2; run++) {
      const { code, stdout } = await runCli(["--base-url", server.url, "--admin-token", adminToken, "--dialect", "exolve", "--fuzz-cases", "50"]);
      assert.equal(code, 0, stdout.slice(-4000));
      assert.doesNotMatch(stdout, /^status200:/m);
    }
  });

  it("fails, naming provisioning, with a wrong admin token", async () => {
    const { code, stdout } = await runCli(["--base-url", server.url, "--admin-token", "not-the-token-not-the-token-not-the-token", "--fuzz-cases", "0"]);
    assert.equal(code, 1);
    assert.match(stdout, /provisioning › provision a tenant world/);
  });
});

// Skipped where PostgreSQL is unreachable, except under CI=true, which requires it.
const postgresMissing = !(await postgresReachable()) && process.env.CI !== "true";

describe("the CLI against the real server on PostgreSQL", () => {
  (postgresMissing ? it.skip : it)("passes on a fresh database", async () => {
    const db = await freshDatabase();
    if (!db) assert.fail("PostgreSQL is unreachable, and CI requires it");
    const server = await startServer({ databaseUrl: db.url });
    try {
      const { code, stdout, stderr } = await runCli(["--base-url", server.url, "--admin-token", adminToken, "--fuzz-cases", fuzzCases, "--seed", "11"]);
      assert.equal(code, 0, `expected exit 0:\n${stdout.slice(-6000)}\n${stderr}`);
      assert.match(stdout, /all \d+ scenarios passed/);
    } finally {
      await server.stop();
      await db.drop();
    }
  });
});

describe("the CLI's usage", () => {
  it("exits 2 without a base URL", async () => {
    const { code, stderr } = await runCli(["--admin-token", adminToken]);
    assert.equal(code, 2);
    assert.match(stderr, /--base-url is required/);
  });
  it("exits 2 on an unknown dialect", async () => {
    const { code, stderr } = await runCli(["--base-url", "http://127.0.0.1:1", "--admin-token", adminToken, "--dialect", "soap"]);
    assert.equal(code, 2);
    assert.match(stderr, /unknown dialect soap/);
  });
});
