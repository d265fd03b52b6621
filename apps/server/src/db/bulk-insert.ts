import type { EntityManager, EntitySchema, ObjectLiteral } from "typeorm";

/**
 * One multi-row INSERT per chunk with bound parameters, for large batches (SMS ingest).
 * TypeORM's InsertQueryBuilder spends most of a 1000-row batch rescanning its parameter list
 * (quadratic in the number of values); this writes the same statement directly, still letting the
 * driver prepare every value (column transformers, dates and booleans per engine).
 */
export interface BulkInsertOptions {
  /** Rows that collide with an existing one on any unique index are skipped, not an error. */
  skipConflicts?: boolean;
}

/** Returns the primary-key values of the rows actually inserted (the skipped ones left out). */
export async function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntitySchema<T>,
  rows: T[],
  options: BulkInsertOptions = {},
  chunkSize = 500,
): Promise<string[]> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns;
  const table = driver.escape(metadata.tableName);
  const columnList = columns.map((column) => driver.escape(column.databaseName)).join(", ");
  const primary = driver.escape(metadata.primaryColumns[0]!.databaseName);
  // Both engines speak this upsert form (SQLite since 3.24, RETURNING since 3.35).
  const onConflict = options.skipConflicts ? " ON CONFLICT DO NOTHING" : "";
  const inserted: string[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const parameters: unknown[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = columns.map((column) => {
        parameters.push(driver.preparePersistentValue(column.getEntityValue(row), column));
        return driver.createParameter(`p${parameters.length}`, parameters.length - 1);
      });
      return `(${placeholders.join(", ")})`;
    });
    const returned = (await manager.query(`INSERT INTO ${table} (${columnList}) VALUES ${tuples.join(", ")}${onConflict} RETURNING ${primary} AS id`, parameters)) as Array<{ id: string }>;
    for (const { id } of returned) inserted.push(id);
  }
  return inserted;
}
