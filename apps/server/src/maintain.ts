// CLI: `node dist/maintain.js` maintains the ledger once, as a running server does every few hours:
// on PostgreSQL the monthly partitions ahead are created, and with COMMLOG_RETENTION_MONTHS set the
// SMS older than that are removed (see db/retention.ts). Prints what it did.
import { ConfigError, loadConfig } from "./config.js";
import { createDataSource, migrate } from "./db/data-source.js";
import { maintainLedger } from "./db/retention.js";
import path from "node:path";

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl, { sqlitePath: path.join(config.dataDir, "commlog.sqlite") });
  try {
    await migrate(dataSource);
    console.log(JSON.stringify(await maintainLedger(dataSource, config.retentionMonths)));
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`maintenance failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
