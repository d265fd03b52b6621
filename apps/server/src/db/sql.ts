import type { DataSource, EntitySchema, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";

// The hot reads (Status200, TelecomX, Exolve) are SQL written by their repositories, not TypeORM's
// QueryBuilder: building and hydrating through it cost a tenth to a third of a cheap read's CPU.
// The SQL is the same on both engines (double-quoted identifiers, `NULLS FIRST/LAST`); TypeORM's
// driver still turns the `:name` parameters into the engine's placeholders
// (escapeQueryWithParameters) and each value read back into what the entity's column means
// (prepareHydratedValue: SQLite's text timestamps and 0/1 booleans, the columns' transformers),
// and the statements run through `dataSource.query`, so the query logger sees every one of them.

/** One statement with `:name` / `:...name` parameters. */
export interface Statement {
  sql: string;
  params: ObjectLiteral;
}

/** A table's SQL names, from TypeORM's metadata of the entity (read once per data source and entity). */
export interface Mapping {
  /** `"<table>" "r"`; unqualified: a PostgreSQL schema is the connection's search_path. */
  from: string;
  column(property: string): { sql: string; meta: ColumnMetadata; hydrate: (raw: unknown) => unknown };
}

const mappings = new WeakMap<DataSource, Map<EntitySchema<any>, Mapping>>();

export function mappingOf(dataSource: DataSource, entity: EntitySchema<any>): Mapping {
  let perEntity = mappings.get(dataSource);
  if (!perEntity) mappings.set(dataSource, (perEntity = new Map()));
  let mapping = perEntity.get(entity);
  if (!mapping) {
    const metadata = dataSource.getMetadata(entity);
    const escape = (name: string) => dataSource.driver.escape(name);
    const columns = new Map(metadata.columns.map((meta) => [meta.propertyName, { sql: `"r".${escape(meta.databaseName)}`, meta, hydrate: hydratorOf(dataSource, meta) }]));
    mapping = {
      from: `${escape(metadata.tableName)} "r"`,
      column(property) {
        const column = columns.get(property);
        if (!column) throw new Error(`query on ${property}, which is not a column of ${metadata.name}`);
        return column;
      },
    };
    perEntity.set(entity, mapping);
  }
  return mapping;
}

/** `SELECT <columns, each AS its property> FROM <table>`. */
export const selectList = (mapped: Mapping, columns: readonly string[]) =>
  `SELECT ${columns.map((property) => `${mapped.column(property).sql} AS "${property}"`).join(", ")} FROM ${mapped.from}`;

/**
 * How a column's raw value becomes the property's: text columns without a transformer come back
 * as they are on both engines; everything else (timestamps, booleans, numbers, transformers) as
 * TypeORM's driver hydrates it.
 */
function hydratorOf(dataSource: DataSource, meta: ColumnMetadata): (raw: unknown) => unknown {
  if (!meta.transformer && (meta.type === "varchar" || meta.type === "text")) return (raw) => raw;
  return (raw) => dataSource.driver.prepareHydratedValue(raw, meta);
}

/** A raw row as the entity's properties, each value as TypeORM would have hydrated it. */
export function hydrate(mapped: Mapping, columns: readonly string[], raw: ObjectLiteral): ObjectLiteral {
  const row: ObjectLiteral = {};
  for (const property of columns) row[property] = mapped.column(property).hydrate(raw[property]);
  return row;
}

/** Runs a statement on the engine. */
export async function run(dataSource: DataSource, { sql, params }: Statement): Promise<ObjectLiteral[]> {
  const [text, values] = dataSource.driver.escapeQueryWithParameters(sql, params);
  return (await dataSource.query(text, values)) as ObjectLiteral[];
}

/** The number a `SELECT COUNT(*) AS "n"` statement answers. */
export async function runCount(dataSource: DataSource, statement: Statement): Promise<number> {
  const [row] = await run(dataSource, statement);
  return Number(row?.["n"] ?? 0);
}

/**
 * One statement adding up the `"n"` of several single-row statements (one round trip instead of
 * several); each part's parameters are renamed apart.
 */
export function sumOf(parts: Statement[]): Statement {
  if (parts.length === 1) return parts[0]!;
  const params: ObjectLiteral = {};
  const terms = parts.map((part, i) => {
    // The parameter syntax TypeORM's drivers read (escapeQueryWithParameters).
    const sql = part.sql.replace(/:(\.\.\.)?([A-Za-z0-9_]+)/g, (whole, spread: string | undefined, name: string) => {
      if (!(name in part.params)) return whole;
      params[`s${i}_${name}`] = part.params[name];
      return `:${spread ?? ""}s${i}_${name}`;
    });
    return `(${sql})`;
  });
  return { sql: `SELECT ${terms.join(" + ")} AS "n"`, params };
}
