// Builds the TypeORM DataSource for either engine. Entities and migrations
// are registered as values (not globs), so the same code runs from src/ under
// tsx and from dist/ after tsc.
import pg from "pg";
import { DataSource, type Logger } from "typeorm";
import { entitySchemas } from "./entities.js";
import type { Engine } from "./entities.js";
import { InitialSchema1795493899458 } from "./migrations/1795493899458-initial-schema.js";
import { SmsStatusCounts1795500000000 } from "./migrations/1795500000000-sms-status-counts.js";
import { MessageIdSequenceAndTimestampRange1795600000000 } from "./migrations/1795600000000-message-id-sequence-and-timestamp-range.js";
import { SmsDailyCounts1795700000000 } from "./migrations/1795700000000-sms-daily-counts.js";
import { SmsPartitionsAndClaims1795800000000 } from "./migrations/1795800000000-sms-partitions-and-claims.js";

export type { Engine } from "./entities.js";

/** Every migration, oldest first. */
export const migrations = [InitialSchema1795493899458, SmsStatusCounts1795500000000, MessageIdSequenceAndTimestampRange1795600000000, SmsDailyCounts1795700000000, SmsPartitionsAndClaims1795800000000];

export const DEFAULT_SQLITE_PATH = "./data/commlog.sqlite";

export interface DataSourceOptions {
  /** SQLite file when no database URL is given; its folder is created. */
  sqlitePath?: string;
  logging?: boolean;
  /** A TypeORM logger (the benchmark records the SQL each request runs). */
  logger?: Logger;
  /**
   * PostgreSQL schema to use instead of "public" (it must exist). Set both as
   * TypeORM's schema and as the connection's search_path, so raw SQL with
   * unqualified table names lands in the same place. Used by tests.
   */
  postgresSchema?: string;
  /** PostgreSQL pool size (10). */
  poolSize?: number;
  /** PostgreSQL connect timeout in ms (3000); read replicas use a shorter one. */
  connectTimeoutMS?: number;
}

/**
 * No URL: embedded SQLite. postgres:// or postgresql://: PostgreSQL.
 * Anything else is a configuration error, reported at once.
 */
export function createDataSource(databaseUrl?: string, options: DataSourceOptions = {}): DataSource {
  const common = {
    synchronize: false,
    migrationsRun: false,
    migrations,
    logging: options.logging ?? Boolean(options.logger),
    ...(options.logger ? { logger: options.logger } : {}),
  } as const;

  if (!databaseUrl) {
    return new DataSource({
      ...common,
      type: "better-sqlite3",
      database: options.sqlitePath ?? DEFAULT_SQLITE_PATH,
      entities: entitySchemas("sqlite"),
      // TypeORM's better-sqlite3 driver always sets foreign_keys = ON (needed
      // for ON DELETE CASCADE); WAL lets readers run beside the one writer.
      enableWAL: true,
      // SQLite's LOWER folds ASCII only; the domain lowercases search values with JavaScript, so
      // LOWER is replaced by the same function to make case-insensitive matching agree with PostgreSQL.
      prepareDatabase: (db: { function(name: string, options: object, fn: (value: unknown) => unknown): void }) => {
        db.function("lower", { deterministic: true }, (value) => (typeof value === "string" ? value.toLowerCase() : value));
      },
    });
  }

  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite)");
  }
  const schema = options.postgresSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  }
  return new DataSource({
    ...common,
    type: "postgres",
    url: databaseUrl,
    entities: entitySchemas("postgres"),
    poolSize: options.poolSize ?? 10,
    // A dead database fails fast instead of hanging requests and probes.
    connectTimeoutMS: options.connectTimeoutMS ?? 3000,
    // Ids are app-generated strings: no uuid-ossp/pgcrypto is ever needed.
    installExtensions: false,
    ...(schema ? { schema } : {}),
    extra: { Client: GuardedClient, ...(schema ? { options: `-c search_path=${schema}` } : {}) },
  });
}

/**
 * A pg client that always has an `error` listener. TypeORM listens while a client is checked out
 * and the pool while it is idle, but a server restart can deliver its "terminating connection"
 * (57P01) in between, to a client being released: with no listener that is an uncaught exception
 * that takes the whole process down. The error itself still reaches the query that was running.
 */
class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on("error", () => {});
  }
}

export function engineOf(dataSource: DataSource): Engine {
  return dataSource.options.type === "postgres" ? "postgres" : "sqlite";
}

/**
 * Runs pending migrations in one transaction (all or nothing) and returns the
 * names of those applied; [] when the schema is current. Initializes the data
 * source if needed (the caller still owns destroy()).
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (engineOf(dataSource) === "sqlite") return (await dataSource.runMigrations({ transaction: "all" })).map((migration) => migration.name);
  // Several servers starting together on one PostgreSQL database would run the same migrations at
  // once (and fail on duplicate types and tables): one at a time, under a session advisory lock
  // held on a connection of its own; the next finds the schema current.
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      return (await dataSource.runMigrations({ transaction: "all" })).map((migration) => migration.name);
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    await lock.release();
  }
}

/** The advisory lock key of commlog's migrations (any constant; "commlog\0" as a 64-bit integer). */
const MIGRATION_LOCK = "7165065848907851520";
