import type { EntityManager, EntitySchema, ObjectLiteral } from "typeorm";

export interface InsertOptions {
  /** Rows that collide with an existing one on any unique index are skipped, not an error. */
  skipConflicts?: boolean;
  /** The column whose values of the inserted rows are returned (the skipped ones left out). */
  returning: string;
}

/** A column of a bulk insert: its SQL name and type (for PostgreSQL's typed arrays). */
export interface InsertColumn {
  name: string;
  type: string;
}

/**
 * Bulk INSERT of rows of values already prepared for the driver: on PostgreSQL one
 * INSERT … SELECT FROM unnest of one typed array per column (one statement whatever the batch
 * size, rows in the given order); on SQLite one multi-row INSERT per chunk of bound parameters.
 * Returns the `returning` column of the rows inserted.
 */
export async function insertRows(manager: EntityManager, table: string, columns: InsertColumn[], rows: unknown[][], options: InsertOptions, chunkSize = 500): Promise<string[]> {
  if (rows.length === 0) return [];
  const { driver } = manager.connection;
  const columnList = columns.map((column) => driver.escape(column.name)).join(", ");
  // Both engines speak this upsert form (SQLite since 3.24, RETURNING since 3.35).
  const tail = `${options.skipConflicts ? " ON CONFLICT DO NOTHING" : ""} RETURNING ${driver.escape(options.returning)} AS v`;
  if (driver.options.type === "postgres") {
    const names = columns.map((_, i) => `c${i}`).join(", ");
    const arrays = columns.map((column, i) => `$${i + 1}::${postgresArrayType(column.type)}`).join(", ");
    const returned = (await manager.query(
      `INSERT INTO ${driver.escape(table)} (${columnList}) SELECT ${names} FROM unnest(${arrays}) WITH ORDINALITY AS t(${names}, i) ORDER BY i${tail}`,
      columns.map((_, i) => rows.map((row) => row[i])),
    )) as Array<{ v: string }>;
    return returned.map(({ v }) => v);
  }
  const inserted: string[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const parameters: unknown[] = [];
    const tuples = rows.slice(start, start + chunkSize).map((row) => {
      const placeholders = row.map((value) => {
        parameters.push(value);
        return driver.createParameter(`p${parameters.length}`, parameters.length - 1);
      });
      return `(${placeholders.join(", ")})`;
    });
    const returned = (await manager.query(`INSERT INTO ${driver.escape(table)} (${columnList}) VALUES ${tuples.join(", ")}${tail}`, parameters)) as Array<{ v: string }>;
    for (const { v } of returned) inserted.push(v);
  }
  return inserted;
}

/**
 * Bulk INSERT of entities (SMS ingest), every value prepared by the driver as TypeORM would
 * (column transformers, dates and booleans per engine) but without TypeORM's InsertQueryBuilder,
 * which spends most of a 1000-row batch rescanning its parameter list. Returns the primary keys.
 */
export async function bulkInsert<T extends ObjectLiteral>(manager: EntityManager, entity: EntitySchema<T>, rows: T[]): Promise<string[]> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns.map((column) => ({ name: column.databaseName, type: String(column.type) }));
  const values = rows.map((row) => metadata.columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row), column)));
  return insertRows(manager, metadata.tableName, columns, values, { returning: metadata.primaryColumns[0]!.databaseName });
}

/** The PostgreSQL array type for a column type of the schema. */
function postgresArrayType(type: string): string {
  const types: Record<string, string> = { varchar: "varchar[]", text: "text[]", integer: "int4[]", boolean: "bool[]", decimal: "numeric[]", timestamptz: "timestamptz[]" };
  const arrayType = types[type];
  if (!arrayType) throw new Error(`insertRows: no PostgreSQL array type for column type ${type}`);
  return arrayType;
}
