import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import pg from "pg";
import { pino } from "pino";
import type { Logger as TypeOrmLogger } from "typeorm";
import { createApp } from "../src/app.js";
import { createDataSource, migrate } from "../src/db/data-source.js";
import { createHttpServer } from "../src/http/server.js";
import { testEngines } from "./support/databases.js";
import { ADMIN_TOKEN } from "./support/harness.js";

// Citus-ready (docs/scaling.md): every SQL statement the server issues against a tenant table
// during a whole conformance run (the CLI, as a user runs it, against this in-process server on
// PostgreSQL) carries a `projectId` predicate, or for an INSERT a `projectId` column, so that a
// distributed PostgreSQL with projectId as the distribution column routes it to one shard. The
// only exceptions are the admin paths listed here and in docs/scaling.md, each with its reason.

const postgres = testEngines().find((engine) => engine.name === "postgres")!;
const POSTGRES_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const conformanceCli = fileURLToPath(new URL("../../../packages/conformance/src/cli.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("../../../packages/conformance/", import.meta.url));

/** The tables distributed by projectId in docs/scaling.md. */
export const TENANT_TABLES = ["sms", "sms_key", "sms_message_id", "sms_daily_count", "incoming_call_log", "incoming_call_log_item"];

/**
 * The documented admin paths (docs/scaling.md, "Statements without a projectId"): statements that
 * may touch a tenant table without a single-project predicate. Each is matched on the statement.
 */
export const ADMIN_PATHS: Array<{ name: string; reason: string; matches: (sql: string) => boolean }> = [
  {
    name: "TelecomX listing of a RESELLER key without `customer`",
    reason: "every project of the reseller: a multi-shard query over the projects the reference table `project` names",
    matches: (sql) => /"projectId"\s+IN\s*\(\s*SELECT\s+"project"\."_id"/i.test(sql) || /"projectId"\s+IN\s*\(\s*SELECT\s+"?_id"?\s+FROM\s+"?project"?\s+WHERE\s+"resellerId"/i.test(sql),
  },
  {
    name: "TelecomX listing of an ADMIN (platform) key without `customer`",
    reason: "the whole platform by definition: a multi-shard query (direction filter only)",
    matches: (sql) => /\bFROM\s+"?(sms|sms_daily_count)"?\b/i.test(sql) && !/"projectId"/.test(sql) && /direction/.test(sql) && /^SELECT/i.test(sql.trim()),
  },
  {
    name: "Incoming call log update by _id (internal API `POST /incoming-call-logs/{id}/update`)",
    reason: "the contract names the call by its id alone; the row is found on its shard through the id's project (see the doc: lookup first, or a projectId in the route)",
    matches: (sql) => /^(SELECT|UPDATE)\b/i.test(sql.trim()) && tenantTablesOf(sql).join() === "incoming_call_log" && /"_id"\s*=\s*\$\d+/.test(sql) && !/"projectId"\s*=/.test(sql),
  },
];

interface Recorded {
  sql: string;
}

/** The tenant tables a statement touches (FROM, JOIN, INTO, UPDATE, DELETE FROM). */
export function tenantTablesOf(sql: string): string[] {
  const names = new Set<string>();
  for (const match of sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_]+)"?/gi)) if (TENANT_TABLES.includes(match[1]!)) names.add(match[1]!);
  return [...names];
}

/**
 * A predicate naming the project (`"projectId" = $n`) or a list of given projects
 * (`"projectId" IN ($1, $2)`: Citus prunes to those projects' shards, one for a one-project
 * batch), or, for an INSERT, a projectId column. A subquery (`IN (SELECT …)`) does not count.
 */
export function routesToOneProject(sql: string): boolean {
  const insert = /^\s*INSERT\s+INTO\s+"?[a-z_]+"?\s*(?:AS\s+\w+\s*)?\(([^)]*)\)/i.exec(sql);
  if (insert) return /"?projectId"?/.test(insert[1]!);
  return /"projectId"\s*=\s*(\$\d+|'[0-9a-f-]{36}')/i.test(sql) || /"projectId"\s+IN\s*\(\s*\$\d+(\s*,\s*\$\d+)*\s*\)/i.test(sql);
}

(postgres.skip ? describe.skip : describe)("every tenant-table statement of a conformance run names its project", () => {
  const recorded: Recorded[] = [];
  let recording = false;
  let server: Server;
  let base: string;
  let schema: string;
  let dataSource: ReturnType<typeof createDataSource>;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };

  beforeAll(async () => {
    schema = `commlog_routing_${randomBytes(5).toString("hex")}`;
    await admin(`CREATE SCHEMA "${schema}"`);
    const logger: TypeOrmLogger = {
      logQuery: (sql) => void (recording && recorded.push({ sql })),
      logQueryError: (_error, sql) => void (recording && recorded.push({ sql })),
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    dataSource = createDataSource(POSTGRES_URL, { postgresSchema: schema, logger });
    await dataSource.initialize();
    // Migrations are an admin path of their own (docs/scaling.md): not recorded.
    await migrate(dataSource);
    recording = true;
    server = createHttpServer(createApp({ dataSource, logger: pino({ level: "silent" }), adminToken: ADMIN_TOKEN, validateResponses: true })).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dataSource?.isInitialized) await dataSource.destroy();
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("or is one of the documented admin paths", async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", conformanceCli, "--base-url", base, "--admin-token", ADMIN_TOKEN, "--fuzz-cases", "300", "--seed", "16"], {
        cwd: packageDir,
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("exit", (exitCode) => resolve({ code: exitCode, stdout: out }));
    });
    assert.equal(code, 0, `the conformance run passes:\n${stdout.slice(-4000)}`);

    const tenant = recorded.filter((r) => tenantTablesOf(r.sql).length > 0);
    const byPath = new Map<string, number>();
    const violations = new Map<string, number>();
    for (const { sql } of tenant) {
      if (routesToOneProject(sql)) continue;
      const path = ADMIN_PATHS.find((p) => p.matches(sql));
      if (path) byPath.set(path.name, (byPath.get(path.name) ?? 0) + 1);
      else violations.set(sql, (violations.get(sql) ?? 0) + 1);
    }
    assert.ok(tenant.length > 500, `the run exercised the tenant tables (${tenant.length} statements of ${recorded.length})`);
    assert.deepEqual([...violations.keys()], [], `statements on tenant tables without a projectId predicate:\n${[...violations].map(([sql, n]) => `${n}× ${sql}`).join("\n")}`);
    if (process.env.DEBUG_ROUTING) process.stdout.write(`${tenant.length} tenant statements of ${recorded.length}; admin paths: ${JSON.stringify([...byPath])}\n`);
  });
});

describe("the statement classifier", () => {
  it("finds tenant tables and single-project predicates", () => {
    assert.deepEqual(tenantTablesOf(`SELECT 1 FROM "sms" "sms" WHERE "sms"."projectId" = $1`), ["sms"]);
    assert.deepEqual(tenantTablesOf(`SELECT 1 FROM "api_key" "k" WHERE "k"."lookupId" = $1`), []);
    assert.deepEqual(tenantTablesOf(`INSERT INTO sms_daily_count ("projectId", day) VALUES ($1, $2)`), ["sms_daily_count"]);
    assert.equal(routesToOneProject(`SELECT 1 FROM "sms" "sms" WHERE "sms"."projectId" = $1 AND x = $2`), true);
    assert.equal(routesToOneProject(`INSERT INTO "incoming_call_log"("_id", "projectId") VALUES ($1, $2)`), true);
    assert.equal(routesToOneProject(`SELECT 1 FROM sms_key WHERE "projectId" IN ($1, $2) AND "providerExternalId" IN ($3)`), true);
    assert.equal(routesToOneProject(`UPDATE "sms" SET "deliveryStatus" = $1 WHERE "_id" = $2`), false);
    assert.equal(routesToOneProject(`SELECT 1 FROM "sms" WHERE "projectId" IN (SELECT "project"."_id" FROM "project" "project" WHERE "project"."resellerId" = $1)`), false);
  });
  it("knows each documented admin path by a statement it issues", () => {
    const examples = [
      `SELECT COUNT(*) AS "total" FROM "sms" "sms" WHERE "sms"."direction" = $1 AND "sms"."projectId" IN (SELECT "project"."_id" FROM "project" "project" WHERE "project"."resellerId" = $2)`,
      `SELECT COALESCE(SUM(n), 0) AS total FROM sms_daily_count WHERE "direction" = $1`,
      `SELECT "IncomingCallLog"."_id" AS "IncomingCallLog__id" FROM "incoming_call_log" "IncomingCallLog" WHERE (("IncomingCallLog"."_id" = $1)) LIMIT 1 FOR UPDATE`,
    ];
    ADMIN_PATHS.forEach((path, i) => assert.ok(path.matches(examples[i]!), path.name));
    assert.equal(ADMIN_PATHS.some((path) => path.matches(`UPDATE "sms" SET "deliveryStatus" = $1 WHERE "_id" = $2`)), false);
  });
});
