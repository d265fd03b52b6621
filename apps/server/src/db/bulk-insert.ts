import type { EntityManager, EntitySchema, ObjectLiteral } from "typeorm";

export interface BulkInsertOptions {
  /** Rows that collide with an existing one on any unique index are skipped, not an error. */
  skipConflicts?: boolean;
}

/**
 * Bulk INSERT for large batches (SMS ingest): on PostgreSQL one INSERT … SELECT FROM unnest of one
 * array per column; on SQLite one multi-row INSERT per chunk with bound parameters. (TypeORM's
 * InsertQueryBuilder spends most of a 1000-row batch rescanning its parameter list.) The driver
 * still prepares every value (column transformers, dates and booleans per engine). Returns the
 * primary-key values of the rows actually inserted (the skipped ones left out).
 */
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
  if (driver.options.type === "postgres" && rows.length > 0) {
    // PostgreSQL: one statement whatever the batch size, a typed array per column (unnest keeps
    // their order, WITH ORDINALITY makes the insertion order explicit).
    const arrays = columns.map((column) => rows.map((row) => driver.preparePersistentValue(column.getEntityValue(row), column)));
    const unnest = columns.map((column, i) => `$${i + 1}::${postgresArrayType(column.type)}`).join(", ");
    const returned = (await manager.query(
      `INSERT INTO ${table} (${columnList}) SELECT ${columns.map((_, i) => `c${i}`).join(", ")} FROM unnest(${unnest}) WITH ORDINALITY AS t(${columns.map((_, i) => `c${i}`).join(", ")}, i) ORDER BY i${onConflict} RETURNING ${primary} AS id`,
      arrays,
    )) as Array<{ id: string }>;
    return returned.map(({ id }) => id);
  }
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

/** The PostgreSQL array type for a column of the entities (see db/entities.ts for the types used). */
function postgresArrayType(type: unknown): string {
  const types: Record<string, string> = { varchar: "varchar[]", text: "text[]", integer: "int4[]", boolean: "bool[]", decimal: "numeric[]", timestamptz: "timestamptz[]" };
  const arrayType = types[String(type)];
  if (!arrayType) throw new Error(`bulkInsert: no PostgreSQL array type for column type ${String(type)}`);
  return arrayType;
}
