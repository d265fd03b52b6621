import { afterAll } from "@jest/globals";
import { describeConformance } from "@commlog/conformance/jest";
import { adminToken, startServer } from "./support/server.js";

// The suite through its jest entry point, one jest test per scenario, against the real built
// server on SQLite. The server is up before jest collects the file (top-level await): the entry
// provisions its tenants while the file is collected.
const fuzzCases = Number(process.env.CONFORMANCE_FUZZ_CASES ?? (process.env.CI === "true" ? "3000" : "1500"));

const server = await startServer();
afterAll(() => server.stop());

describeConformance({ baseUrl: server.url, adminToken, seed: 21, fuzzCases, name: "conformance scenarios (jest entry) on SQLite" });
