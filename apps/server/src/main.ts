import { resolveAdminToken } from "./auth/admin-token.js";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createDataSource, migrate } from "./db/data-source.js";
import { createReplicaSet } from "./db/replicas.js";
import { maintainLedger } from "./db/retention.js";
import { createLogger } from "./http/logging.js";
import { createHttpServer } from "./http/server.js";
import path from "node:path";

/** How often a running server maintains the ledger (partitions ahead, retention). */
const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The composition root: config → data source (migrated) → app → listen. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const embedded = !config.databaseUrl;
  const dataSource = createDataSource(config.databaseUrl, { sqlitePath: path.join(config.dataDir, "commlog.sqlite") });
  await dataSource.initialize();
  const applied = await migrate(dataSource);
  if (applied.length) logger.info({ migrations: applied }, "migrations applied");

  // Partitions ahead and retention: now, then every few hours (any server may run it; it is idempotent).
  const maintain = () =>
    maintainLedger(dataSource, config.retentionMonths).then(
      (result) => logger.info(result, "ledger maintained"),
      (error: unknown) => logger.error({ err: error }, "ledger maintenance failed"),
    );
  await maintain();
  const maintenance = setInterval(() => void maintain(), MAINTENANCE_INTERVAL_MS).unref();

  // Read replicas: checked once before listening (bounded), then in the background.
  const replicas = createReplicaSet(dataSource, config.replicaUrls, {
    maxLagMs: config.replicaMaxLagMs,
    intervalMs: config.replicaCheckMs,
    connect: (url) => createDataSource(url, { poolSize: 5, connectTimeoutMS: 1000 }),
    logger,
  });
  await replicas.start();
  if (config.replicaUrls.length) logger.info({ replicas: replicas.states() }, "read replicas configured");

  const admin = resolveAdminToken({ configured: config.adminToken, embedded, dataDir: config.dataDir });
  const app = createApp({ dataSource, reads: replicas.reads, logger, adminToken: admin.token, validateResponses: config.validateResponses, metricsToken: config.metricsToken });
  const server = createHttpServer(app);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const url = `http://${config.host}:${typeof address === "object" && address ? address.port : config.port}`;
    logger.info({ url, engine: embedded ? "sqlite" : "postgres" }, "commlog is listening");
    const lines = [`commlog is serving every dialect at ${url} (${embedded ? "SQLite" : "PostgreSQL"})`, `API reference of every dialect: ${url}/`];
    if (config.metricsToken) lines.push(`Prometheus metrics: ${url}/metrics (Authorization: Bearer <COMMLOG_METRICS_TOKEN>)`);
    if (admin.generatedAt) lines.push(`A new admin token for the internal API was written to ${admin.generatedAt}`);
    if (admin.file) lines.push(`Use it as: curl -H "Authorization: Bearer $(cat ${admin.file})" ${url}/internal/v1/...`);
    if (!admin.token) lines.push("No COMMLOG_ADMIN_TOKEN is configured: the internal API is disabled (404).");
    process.stdout.write(lines.join("\n") + "\n");
  });

  // Graceful shutdown: stop accepting, let in-flight requests finish (each write is one
  // transaction, so a batch is written whole or not at all), then close the database.
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    clearInterval(maintenance);
    server.close(() => {
      void replicas
        .stop()
        .then(() => dataSource.destroy())
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => {
      logger.error("in-flight requests did not finish within 10 s; exiting");
      process.exit(1);
    }, 10_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`commlog failed to start: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
