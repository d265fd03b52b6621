import path from "node:path";

/** The server's configuration, parsed once from the environment; a bad value stops the start with a clear message. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL URL; absent means the embedded SQLite file under `dataDir`. */
  databaseUrl?: string;
  /** PostgreSQL read replicas (`DATABASE_REPLICA_URLS`, comma-separated): the public dialects' reads go there. */
  replicaUrls: string[];
  /** A replica lagging more than this is skipped (`COMMLOG_REPLICA_MAX_LAG_MS`, 1000). */
  replicaMaxLagMs: number;
  /** How often the replicas' health and lag are checked (`COMMLOG_REPLICA_CHECK_MS`, 250). */
  replicaCheckMs: number;
  /** Keep this many whole months of SMS before the current one (`COMMLOG_RETENTION_MONTHS`); unset keeps everything. */
  retentionMonths?: number;
  /** Folder of the SQLite file and of a generated admin token. */
  dataDir: string;
  /** The internal API's admin token from `COMMLOG_ADMIN_TOKEN`, if configured. */
  adminToken?: string;
  /** `COMMLOG_METRICS_TOKEN`: when set, `GET /metrics` serves Prometheus metrics to `Authorization: Bearer <it>`. */
  metricsToken?: string;
  /**
   * Validate every response against the OpenAPI documents (off by default, `COMMLOG_VALIDATE_RESPONSES=true`
   * turns it on): it cost ~5 % of a Status200 list's CPU, growing with the page, and every test
   * harness and the conformance suite validate each response already (README, "Measured").
   */
  validateResponses: boolean;
  logLevel: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === "" ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer 0..65535, got "${env.PORT}"`);

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite)");
  }

  const replicaUrls = (env.DATABASE_REPLICA_URLS ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter(Boolean);
  replicaUrls.forEach((url, i) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // (the URL itself is not repeated: it may hold a password)
    }
    if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError(`DATABASE_REPLICA_URLS: entry ${i + 1} is not a postgres:// or postgresql:// URL with a host`);
    }
  });
  if (replicaUrls.length && !databaseUrl) throw new ConfigError("DATABASE_REPLICA_URLS needs DATABASE_URL: replicas are PostgreSQL standbys of the primary it names");
  const replicaMaxLagMs = positiveInteger(env, "COMMLOG_REPLICA_MAX_LAG_MS", 1000);
  const replicaCheckMs = positiveInteger(env, "COMMLOG_REPLICA_CHECK_MS", 250);

  const retention = env.COMMLOG_RETENTION_MONTHS;
  const retentionMonths = retention === undefined || retention === "" ? undefined : Number(retention);
  if (retentionMonths !== undefined && (!Number.isInteger(retentionMonths) || retentionMonths < 1)) {
    throw new ConfigError(`COMMLOG_RETENTION_MONTHS must be a positive number of months, got "${retention}"`);
  }

  const adminToken = env.COMMLOG_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 32) {
    throw new ConfigError("COMMLOG_ADMIN_TOKEN must be at least 32 characters");
  }

  const metricsToken = env.COMMLOG_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError("COMMLOG_METRICS_TOKEN must be at least 16 characters");

  const validate = (env.COMMLOG_VALIDATE_RESPONSES ?? "false").toLowerCase();
  if (!["true", "false"].includes(validate)) throw new ConfigError("COMMLOG_VALIDATE_RESPONSES must be true or false");

  return {
    port,
    host: env.HOST || "127.0.0.1",
    databaseUrl,
    replicaUrls,
    replicaMaxLagMs,
    replicaCheckMs,
    ...(retentionMonths !== undefined ? { retentionMonths } : {}),
    dataDir: path.resolve(env.COMMLOG_DATA_DIR || "data"),
    adminToken,
    ...(metricsToken !== undefined ? { metricsToken } : {}),
    validateResponses: validate === "true",
    logLevel: env.LOG_LEVEL || "info",
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer (milliseconds), got "${raw}"`);
  return value;
}
