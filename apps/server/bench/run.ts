// `npm run bench`: seeds a large ledger into PostgreSQL and SQLite, then measures commlog's main
// endpoints with autocannon at concurrency 1 and 16, beside a baseline measured in the same run (a
// bare node:http server running the very SQL commlog ran, through the same driver: baseline.ts).
// Prints a table and writes the figures to bench-results.json. A script, not a test.
//
// Growth: the main project is filled in tiers of 100k, 1M and 10M rows (those below BENCH_SMS, then
// BENCH_SMS itself), and every read scenario's p50 at concurrency 1 is printed per tier.
// The server runs with its shipped defaults (response validation off, log level info: a line per
// request, to /dev/null); COMMLOG_VALIDATE_RESPONSES=true or LOG_LEVEL in the environment change them.
//
// Settings (environment): BENCH_SMS (default 1000000), BENCH_SMALL_PROJECTS (100),
// BENCH_SECONDS per measurement (5), BENCH_ROUNDS of each read measurement (3), BENCH_ENGINES ("postgres,sqlite"),
// BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres; a database commlog_bench is recreated),
// BENCH_ONLY (a comma-separated list of words: only the scenarios whose name contains one of them),
// BENCH_PROFILE (a folder: the measured server runs under `node --cpu-prof` and writes its profile there).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { pino } from "pino";
import supertest from "supertest";
import type { Logger as TypeOrmLogger } from "typeorm";
import { createApp } from "../src/app.js";
import { createDataSource } from "../src/db/data-source.js";

const SMS = Number(process.env.BENCH_SMS ?? 1_000_000);
const SMALL_PROJECTS = Number(process.env.BENCH_SMALL_PROJECTS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ENGINES = (process.env.BENCH_ENGINES ?? "postgres,sqlite").split(",") as Array<"postgres" | "sqlite">;
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ONLY = process.env.BENCH_ONLY?.split(",").filter(Boolean);
const PROFILE = process.env.BENCH_PROFILE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN = "bench-admin-token-0123456789abcdef0123456789";
const serverDir = fileURLToPath(new URL("..", import.meta.url));
const MONTHS = 12;
const NOW = Date.UTC(2026, 10, 1);

interface Scenario {
  name: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Read endpoints get a baseline and the 70 % throughput target. */
  read: boolean;
}

interface Figures {
  p50: number;
  p99: number;
  rps: number;
  non2xx: number;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

async function startServer(env: Record<string, string>, profile?: string): Promise<{ child: ChildProcess; url: string; readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const args = profile ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(profile), "dist/main.js"] : ["dist/main.js"];
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    // The shipped defaults, the log level (info: a line per request, to /dev/null here) included.
    env: { ...process.env, ...env, PORT: String(port), COMMLOG_ADMIN_TOKEN: ADMIN },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { child, url, readyMs: performance.now() - started };
    if (child.exitCode !== null) throw new Error("the server exited during start");
    await sleep(5);
  }
}

async function call(url: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json as any;
}

const statuses = ["Delivered", "Delivered", "Delivered", "Delivered", "Sent", "Sending", "Failed", "Undelivered", "Low Balance"];

/** Where in the last 12 months message i falls: spread evenly whatever the tier (a multiplicative hash). */
const spread = (i: number) => (Math.imul(i + 1, 2654435761) >>> 0) / 4294967296;

function messages(projectId: string, start: number, count: number) {
  return Array.from({ length: count }, (_, k) => {
    const i = start + k;
    const createdAt = NOW - Math.floor(spread(i) * MONTHS * 30 * 86_400_000);
    const status = statuses[i % statuses.length]!;
    const sent = status !== "Sending" && status !== "Low Balance";
    return {
      projectId,
      direction: i % 10 === 9 ? "incoming" : "outgoing",
      toNumber: `+45${String(20_000_000 + ((i * 7_919) % 70_000_000))}`,
      fromNumber: "+4570101010",
      senderName: i % 3 === 0 ? "Alerts" : null,
      smsText: `Alert ${i}: disk usage above ${70 + (i % 30)}%`,
      status,
      smsCostInUSDCents: 4,
      cost: 0.03,
      wholeSale: 0.04,
      price: 0.06,
      createdAt: new Date(createdAt).toISOString(),
      sentAt: sent ? new Date(createdAt + 1_500).toISOString() : null,
    };
  });
}

/** The tenants of the run: the main project (with a key) and the small ones, with a call to add items to. */
async function provision(url: string) {
  const main = await call(url, "POST", "/internal/v1/projects", { name: "bench main" });
  const key = (await call(url, "POST", "/internal/v1/api-keys", { name: "bench", projectId: main._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).key as string;
  for (let p = 0; p < SMALL_PROJECTS; p++) {
    const small = await call(url, "POST", "/internal/v1/projects", { name: `bench small ${p}` });
    await call(url, "POST", "/internal/v1/sms", { messages: messages(small._id, 0, 100) });
  }
  const callLog = await call(url, "POST", "/internal/v1/incoming-call-logs", { projectId: main._id, callerPhoneNumber: "+4581808888" });
  return { projectId: main._id as string, key, callLogId: callLog._id as string };
}

/** Fills the main project from `from` to `to` rows through the internal API, as production traffic arrives; returns msg/s. */
async function seed(url: string, projectId: string, from: number, to: number): Promise<number> {
  const started = performance.now();
  let next = from;
  const worker = async () => {
    for (;;) {
      const start = next;
      if (start >= to) return;
      next += 1000;
      await call(url, "POST", "/internal/v1/sms", { messages: messages(projectId, start, Math.min(1000, to - start)) });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return (to - from) / ((performance.now() - started) / 1000);
}

function scenarios(key: string, projectId: string, callLogId: string): Scenario[] {
  const month = new Date(NOW - 45 * 86_400_000).toISOString().slice(0, 7);
  const json = { "Content-Type": "application/json" };
  const all: Scenario[] = [
    {
      name: "Status200 get-list (seed 000)",
      method: "POST",
      path: "/api/sms-log/get-list?skip=0&limit=10",
      headers: { ...json, ApiKey: key },
      body: JSON.stringify({ select: { projectId: true, smsCostInUSDCents: true, status: true, toNumber: true, alert: true }, query: { status: "Delivered" }, sort: { createdAt: -1 } }),
      read: true,
    },
    { name: "Status200 count", method: "POST", path: "/api/sms-log/count", headers: { ...json, ApiKey: key }, body: JSON.stringify({ query: { status: "Delivered" } }), read: true },
    { name: "TelecomX GET /sms month", method: "GET", path: `/sms?fromDate=${month}&toDate=${month}&limit=100`, headers: { Authorization: `Bearer ${key}` }, read: true },
    {
      name: "Exolve GetCount range+status",
      method: "POST",
      path: "/messaging/v1/GetCount",
      headers: { ...json, Authorization: `Bearer ${key}` },
      body: JSON.stringify({ date_gte: new Date(NOW - 60 * 86_400_000).toISOString(), date_lte: new Date(NOW - 30 * 86_400_000).toISOString(), status: "STATUS_DELIVERED" }),
      read: true,
    },
    { name: "Item create", method: "POST", path: "/api/incoming-call-log-item", headers: { ...json, ApiKey: key }, body: JSON.stringify({ data: { incomingCallLogId: callLogId, status: "Ringing", isAnswered: false } }), read: false },
    {
      name: "Internal ingest 1000/batch",
      method: "POST",
      path: "/internal/v1/sms",
      headers: { ...json, Authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ messages: messages(projectId, 0, 1000) }),
      read: false,
    },
  ];
  return ONLY ? all.filter((scenario) => ONLY.some((word) => scenario.name.includes(word))) : all;
}

async function measure(url: string, scenario: Scenario, connections: number): Promise<Figures> {
  const result = await autocannon({
    url: `${url}${scenario.path}`,
    method: scenario.method,
    headers: scenario.headers,
    body: scenario.body,
    connections,
    duration: SECONDS,
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, non2xx: result.non2xx + result.errors };
}

/** Runs each read scenario once in-process against the same database and records every SQL statement it issued. */
async function recordSql(engine: "postgres" | "sqlite", databaseUrl: string | undefined, sqlitePath: string | undefined, reads: Scenario[]) {
  let current: Array<{ sql: string; parameters: unknown[] }> = [];
  const logger: TypeOrmLogger = {
    logQuery: (sql, parameters) => current.push({ sql, parameters: (parameters as unknown[]) ?? [] }),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const dataSource = createDataSource(databaseUrl, { sqlitePath, logger });
  await dataSource.initialize();
  const http = supertest(createApp({ dataSource, logger: pino({ level: "silent" }), adminToken: ADMIN, validateResponses: false }));
  const routes: Record<string, Array<{ sql: string; parameters: unknown[] }>> = {};
  for (const scenario of reads) {
    current = [];
    const request = scenario.method === "GET" ? http.get(scenario.path) : http.post(scenario.path);
    for (const [name, value] of Object.entries(scenario.headers)) request.set(name, value);
    const response = await (scenario.body ? request.send(scenario.body) : request);
    if (response.status !== 200) throw new Error(`${scenario.name}: ${response.status} ${JSON.stringify(response.body)}`);
    routes[`${scenario.method} ${scenario.path}`] = current.filter((q) => !/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(q.sql));
  }
  await dataSource.destroy();
  return { engine, databaseUrl, sqlitePath, routes };
}

async function benchEngine(engine: "postgres" | "sqlite") {
  let databaseUrl: string | undefined;
  let sqlitePath: string | undefined;
  const folder = mkdtempSync(path.join(tmpdir(), "commlog-bench-"));
  if (engine === "postgres") {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query("DROP DATABASE IF EXISTS commlog_bench");
    await admin.query("CREATE DATABASE commlog_bench");
    await admin.end();
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = "/commlog_bench";
    databaseUrl = url.href;
  } else {
    sqlitePath = path.join(folder, "commlog.sqlite");
  }
  const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "", COMMLOG_DATA_DIR: folder };

  const analyze = async () => {
    if (engine !== "postgres") return;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query("ANALYZE");
    await client.end();
  };
  const first = await startServer(env);
  const seeded = await provision(first.url);
  const tiers = [...new Set([100_000, 1_000_000, 10_000_000].filter((tier) => tier < SMS).concat(SMS))];
  const growth: Array<{ rows: number; seedRate: number; p50: Record<string, number> }> = [];
  let filled = 0;
  for (const tier of tiers) {
    process.stdout.write(`[${engine}] seeding the main project to ${tier} SMS...\n`);
    const seedRate = await seed(first.url, seeded.projectId, filled, tier);
    filled = tier;
    await analyze();
    const p50: Record<string, number> = {};
    for (const scenario of scenarios(seeded.key, seeded.projectId, seeded.callLogId).filter((s) => s.read)) {
      p50[scenario.name] = (await measure(first.url, scenario, 1)).p50;
    }
    growth.push({ rows: tier, seedRate, p50 });
  }
  first.child.kill("SIGTERM");
  await new Promise((resolve) => first.child.once("exit", resolve));

  // The baseline replays the SQL commlog runs for each read, recorded first (in-process, same database).
  const list = scenarios(seeded.key, seeded.projectId, seeded.callLogId);
  const reads = list.filter((scenario) => scenario.read);
  const recorded = await recordSql(engine, databaseUrl, sqlitePath, reads);
  const recordedFile = path.join(folder, "recorded-sql.json");
  writeFileSync(recordedFile, JSON.stringify(recorded));
  const port = await freePort();
  const baseline = spawn(process.execPath, ["--import", "tsx", "bench/baseline.ts", recordedFile, String(port)], { cwd: serverDir, stdio: ["ignore", "ignore", "inherit"] });
  const baselineUrl = `http://127.0.0.1:${port}`;
  while (!(await fetch(`${baselineUrl}/`).then(() => true, () => false))) await sleep(20);

  // A fresh process on the seeded database: start-to-ready and RSS are measured on it. Each read is
  // measured ROUNDS times, alternating commlog and the baseline, and each side's median is kept: on
  // a machine shared with other work the load drifts, and measuring one side after the other
  // would put the drift into the ratio.
  const server = await startServer(env, PROFILE);
  const rows: Array<{ scenario: string; connections: number; commlog: Figures; baseline?: Figures }> = [];
  for (const scenario of list) {
    for (const connections of [1, 16]) {
      process.stdout.write(`[${engine}] ${scenario.name} c=${connections}\n`);
      const ours: Figures[] = [];
      const theirs: Figures[] = [];
      for (let round = 0; round < (scenario.read ? ROUNDS : 1); round++) {
        ours.push(await measure(server.url, scenario, connections));
        if (scenario.read) theirs.push(await measure(baselineUrl, scenario, connections));
      }
      rows.push({ scenario: scenario.name, connections, commlog: median(ours), ...(theirs.length ? { baseline: median(theirs) } : {}) });
    }
  }
  const memory = rssMb(server.child.pid!);
  server.child.kill("SIGTERM");
  await new Promise((resolve) => server.child.once("exit", resolve));
  baseline.kill("SIGTERM");
  rmSync(folder, { recursive: true, force: true });
  return { engine, sms: SMS, growth, readyMs: server.readyMs, memory, rows };
}

/** Each figure's median over the rounds (non-2xx answers: their sum). */
function median(rounds: Figures[]): Figures {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { p50: mid(rounds.map((r) => r.p50)), p99: mid(rounds.map((r) => r.p99)), rps: mid(rounds.map((r) => r.rps)), non2xx: rounds.reduce((n, r) => n + r.non2xx, 0) };
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? "—" : n.toFixed(digits));

const results = [];
for (const engine of ENGINES) results.push(await benchEngine(engine));

for (const result of results) {
  process.stdout.write(
    `\n== ${result.engine}: ${result.sms} SMS in the main project; ` +
      `start to ready ${fmt(result.readyMs, 0)} ms; server RSS ${fmt(result.memory.rss, 0)} MB (peak ${fmt(result.memory.peak, 0)} MB)\n`,
  );
  const names = Object.keys(result.growth[0]!.p50);
  process.stdout.write(`growth (p50 ms at c=1)   ${"rows".padStart(9)} ${"seeded msg/s".padStart(13)} | ${names.join(" | ")}\n`);
  for (const tier of result.growth) {
    process.stdout.write(`${"".padEnd(24)} ${String(tier.rows).padStart(9)} ${fmt(tier.seedRate, 0).padStart(13)} | ${names.map((name) => fmt(tier.p50[name]).padStart(name.length)).join(" | ")}\n`);
  }
  process.stdout.write("scenario                          c   | commlog p50 ms  p99 ms    req/s  non2xx | baseline p50 ms  p99 ms    req/s | ratio\n");
  for (const row of result.rows) {
    const ratio = row.baseline ? `${fmt((100 * row.commlog.rps) / row.baseline.rps, 0)} %` : "—";
    process.stdout.write(
      `${row.scenario.padEnd(33)} ${String(row.connections).padStart(2)}  | ${fmt(row.commlog.p50).padStart(11)} ${fmt(row.commlog.p99).padStart(7)} ${fmt(row.commlog.rps).padStart(8)} ${String(row.commlog.non2xx).padStart(7)} | ` +
        `${fmt(row.baseline?.p50).padStart(15)} ${fmt(row.baseline?.p99).padStart(7)} ${fmt(row.baseline?.rps).padStart(8)} | ${ratio}\n`,
    );
  }
  const ingest = result.rows.find((row) => row.scenario.startsWith("Internal ingest") && row.connections === 16);
  if (ingest) process.stdout.write(`ingest at c=16: ${fmt(ingest.commlog.rps * 1000, 0)} messages/s\n`);
}
writeFileSync("bench-results.json", JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, results }, null, 2));
process.stdout.write(`\nFigures written to ${path.resolve("bench-results.json")}\n`);
