// CLI: `node dist/migrate.js` applies pending migrations to DATABASE_URL
// (or the default SQLite file when it is unset) and prints what it applied.
import { createDataSource, engineOf, migrate } from "./db/data-source.js";

async function main(): Promise<void> {
  const dataSource = createDataSource(process.env.DATABASE_URL || undefined);
  try {
    const applied = await migrate(dataSource);
    const engine = engineOf(dataSource);
    if (applied.length === 0) console.log(`${engine}: schema is up to date`);
    for (const name of applied) console.log(`${engine}: applied ${name}`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // The message only: a stack trace or the URL (with its password) has no place here.
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
