import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { faults, startFaultProxy } from "./support/fault-proxy.js";
import { adminToken, startServer, type RunningServer } from "./support/server.js";

// @commlog/conformance/jest in a fresh jest project outside the monorepo: the packed packages and
// jest installed from npm's cache, a CommonJS consumer on jest's defaults and an ES module consumer
// on jest's ESM mode, each reporting exactly one jest test per scenario result of the CLI's run
// with the same options (and as many failing ones).

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const contractsDir = path.resolve(packageDir, "../contracts");
const require = createRequire(import.meta.url);
const jestVersion = (require("jest/package.json") as { version: string }).version;
const tsc = require.resolve("typescript/bin/tsc");
const scratch = mkdtempSync(path.join(tmpdir(), "commlog-jest-consumer-"));
const FUZZ_CASES = "60";

// The README's copy-paste config: the same file serves both consumers.
const jestConfig = `module.exports = { testEnvironment: "node", testTimeout: 60000 };\n`;

type JestResults = {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  success: boolean;
  testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }> }>;
};

/**
 * Runs the consumer's jest in `dir` (its own node_modules) and returns jest's JSON report. Not
 * synchronously: a fault proxy in this process must keep answering while it runs.
 */
async function runJest(dir: string, env: Record<string, string>): Promise<JestResults> {
  const out = path.join(dir, "results.json");
  const clean = { ...process.env };
  delete clean.NODE_OPTIONS; // the monorepo's jest runs with --experimental-vm-modules: the consumer decides for itself
  for (const name of Object.keys(clean)) if (name.startsWith("COMMLOG_") || name.startsWith("JEST_")) delete clean[name];
  const child = spawn(process.execPath, [path.join(scratch, "node_modules/jest/bin/jest.js"), "--ci", "--json", "--outputFile", out], {
    cwd: dir,
    env: { ...clean, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  // jest exits 1 when a test fails; the JSON report tells which.
  assert.ok(code === 0 || code === 1, `the consumer's jest exited ${code}:\n${output.slice(-4000)}`);
  return JSON.parse(readFileSync(out, "utf8")) as JestResults;
}

/** The scenario results the CLI reports for the same options: its JUnit `tests` and `failures` counts. */
function cliCounts(baseUrl: string): { tests: number; failures: number } {
  const junit = path.join(scratch, "cli.xml");
  try {
    execFileSync(
      process.execPath,
      [path.join(scratch, "node_modules/@commlog/conformance/bin/commlog-conformance.js"), "--base-url", baseUrl, "--admin-token", adminToken, "--fuzz-cases", FUZZ_CASES, "--quiet", "--junit", junit],
      { cwd: scratch, stdio: "pipe", env: { ...process.env, NO_COLOR: "1" } },
    );
  } catch (error) {
    // Exit 1 is a failed scenario: whether the server passes is the other tests' business, the counts are this one's.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  const match = /<testsuites name="commlog-conformance" tests="(\d+)" failures="(\d+)"/.exec(readFileSync(junit, "utf8"));
  assert.ok(match, "the CLI's JUnit report");
  return { tests: Number(match[1]), failures: Number(match[2]) };
}

describe("@commlog/conformance/jest in a fresh jest project outside the monorepo", () => {
  let server: RunningServer;
  let cli: { tests: number; failures: number };

  beforeAll(async () => {
    server = await startServer();
    for (const dir of [contractsDir, packageDir]) execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: dir, stdio: "pipe" });
    const tarballs = readdirSync(scratch).filter((name) => name.endsWith(".tgz"));
    assert.equal(tarballs.length, 2, tarballs.join(", "));
    writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs.map((t) => `./${t}`), `jest@${jestVersion}`], { cwd: scratch, stdio: "pipe" });
    cli = cliCounts(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("a CommonJS consumer on jest's defaults gets one test per scenario, grouped by dialect and group", async () => {
    const dir = path.join(scratch, "cjs");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cjs-consumer", private: true, type: "commonjs" }));
    writeFileSync(path.join(dir, "jest.config.js"), jestConfig);
    writeFileSync(path.join(dir, "conformance.test.js"), `const { describeConformance } = require("@commlog/conformance/jest");\n\ndescribeConformance();\n`);
    const results = await runJest(dir, { COMMLOG_BASE_URL: server.url, COMMLOG_ADMIN_TOKEN: adminToken, COMMLOG_CONFORMANCE_FUZZ_CASES: FUZZ_CASES });
    assert.equal(results.numTotalTests, cli.tests, "one jest test per scenario result of the CLI");
    assert.equal(results.numFailedTests, cli.failures, "as many failing tests as the CLI has failing scenarios");
    // Every test sits in <suite> › <dialect> › <group>, each dialect and the CLI's groups among them.
    const tests = results.testResults.flatMap((f) => f.assertionResults);
    assert.ok(tests.every((t) => t.ancestorTitles.length === 3 && ["status200", "telecomx", "exolve", "internal"].includes(t.ancestorTitles[1]!)));
    const groups = new Set(tests.map((t) => t.ancestorTitles.slice(1).join(" › ")));
    for (const group of ["internal › provisioning", "status200 › sms-log get-list", "status200 › fuzz", "telecomx › sms list", "exolve › GetCount", "internal › fuzz: concurrent replays"]) {
      assert.ok(groups.has(group), `${group} is not among ${[...groups].join("; ")}`);
    }
  });

  it("an ES module consumer on jest's ESM mode gets the same tests, typed", async () => {
    const dir = path.join(scratch, "esm");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "esm-consumer", private: true, type: "module" }));
    writeFileSync(path.join(dir, "jest.config.cjs"), jestConfig);
    writeFileSync(
      path.join(dir, "conformance.test.js"),
      `import { describeConformance } from "@commlog/conformance/jest";\n\ndescribeConformance({ baseUrl: process.env.TARGET, fuzzCases: ${FUZZ_CASES} });\n`,
    );
    writeFileSync(
      path.join(dir, "options.ts"),
      `import { describeConformance, type ConformanceJestOptions } from "@commlog/conformance/jest";\nconst options: ConformanceJestOptions = { baseUrl: "http://127.0.0.1:3000", dialects: ["exolve"], fuzzCases: 0 };\nexport const declare = () => describeConformance(options);\n`,
    );
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, types: [] }, files: ["options.ts"] }));
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, stdio: "pipe" });
    const results = await runJest(dir, { NODE_OPTIONS: "--experimental-vm-modules", TARGET: server.url, COMMLOG_ADMIN_TOKEN: adminToken });
    assert.equal(results.numTotalTests, cli.tests, "one jest test per scenario result of the CLI");
    assert.equal(results.numFailedTests, cli.failures, "as many failing tests as the CLI has failing scenarios");
  });

  it("a failing scenario is a failing jest test whose message shows the request and the mismatch", async () => {
    const fault = faults.find((f) => f.name.startsWith("a wrong status code"))!;
    const proxy = await startFaultProxy(server.url, fault);
    try {
      const results = await runJest(path.join(scratch, "cjs"), { COMMLOG_BASE_URL: proxy.url, COMMLOG_ADMIN_TOKEN: adminToken, COMMLOG_CONFORMANCE_DIALECTS: "status200", COMMLOG_CONFORMANCE_FUZZ_CASES: "0" });
      assert.equal(results.success, false);
      const failed = results.testResults.flatMap((f) => f.assertionResults).filter((t) => t.status === "failed");
      const [group, name] = fault.mustFail.split(" › ");
      const test = failed.find((t) => t.ancestorTitles.at(-1) === group && t.title === name);
      assert.ok(test, `expected "${fault.mustFail}" among the failures: ${failed.map((t) => `${t.ancestorTitles.slice(1).join(" › ")} › ${t.title}`).join("; ")}`);
      const message = test.failureMessages.join("\n");
      assert.match(message, /request:\n\s+POST \/api\/incoming-call-log-item\b/, message);
      assert.match(message, /body: \{/, message);
      assert.match(message, /expected status 200, got 201/, message);
    } finally {
      await proxy.stop();
    }
  });
});
