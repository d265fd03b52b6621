// Real databases for tests: SQLite always, PostgreSQL when reachable (and
// always under CI=true, where an unreachable server fails the tests instead
// of skipping them). Each open() gets a fresh, private database: a temp file
// for SQLite, a uniquely named schema for PostgreSQL, so parallel runs never
// collide; close() removes it.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { DataSource } from "typeorm";
import { createDataSource, migrate } from "../../src/db/data-source.js";

export interface OpenDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface TestEngine {
  name: "sqlite" | "postgres";
  /** Set when the engine is unavailable here: the tests then use describe.skip. */
  skip?: string;
  /** A fresh database, migrated unless `{migrate: false}`. */
  open(options?: { migrate?: boolean }): Promise<OpenDatabase>;
}

const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const postgresUrl = process.env.TEST_DATABASE_URL || DEFAULT_POSTGRES_URL;
// An explicitly configured database, like CI, must be there.
const postgresRequired = process.env.CI === "true" || Boolean(process.env.TEST_DATABASE_URL);

async function withClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

// Probed once per process (top-level await) so testEngines() can stay synchronous.
const postgresProblem: string | undefined = await withClient((client) => client.query("select 1")).then(
  () => undefined,
  (error: unknown) => `PostgreSQL unreachable at ${redact(postgresUrl)}: ${error instanceof Error ? error.message : String(error)}`,
);

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

async function finish(dataSource: DataSource, migrateIt: boolean): Promise<void> {
  await dataSource.initialize();
  if (migrateIt) await migrate(dataSource);
}

const sqlite: TestEngine = {
  name: "sqlite",
  async open({ migrate: migrateIt = true } = {}) {
    const folder = await mkdtemp(path.join(tmpdir(), "commlog-test-"));
    // A nested path also checks that the data folder is created.
    const dataSource = createDataSource(undefined, { sqlitePath: path.join(folder, "data", "commlog.sqlite") });
    const close = async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await rm(folder, { recursive: true, force: true });
    };
    try {
      await finish(dataSource, migrateIt);
    } catch (error) {
      await close();
      throw error;
    }
    return { dataSource, close };
  },
};

const postgres: TestEngine = {
  name: "postgres",
  ...(postgresProblem && !postgresRequired ? { skip: postgresProblem } : {}),
  async open({ migrate: migrateIt = true } = {}) {
    if (postgresProblem) throw new Error(postgresProblem);
    const schema = `commlog_test_${randomBytes(6).toString("hex")}`;
    await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
    const dataSource = createDataSource(postgresUrl, { postgresSchema: schema });
    const close = async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    };
    try {
      await finish(dataSource, migrateIt);
    } catch (error) {
      await close();
      throw error;
    }
    return { dataSource, close };
  },
};

/** The engines to run database tests against, SQLite first. */
export function testEngines(): TestEngine[] {
  return [sqlite, postgres];
}

/** A fresh PostgreSQL database of its own (for server processes, which take a URL): its URL, and how to drop it. */
export async function createPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await withClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}
