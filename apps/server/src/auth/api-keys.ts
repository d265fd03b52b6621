import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Principal, ProjectAccessLevel, Status200Permission } from "@commlog/domain";
import type { DataSource } from "typeorm";
import { ApiKeyEntity, ResellerEntity, type ApiKey, type Reseller } from "../db/entities.js";

/**
 * API keys look like `clk_<lookup id>_<secret>`: 8 random bytes of lookup id (hex) to find the row,
 * and 32 random bytes of secret (base64url, 256 bits) of which only a SHA-256 is stored. The secret
 * is shown once, at creation.
 */
const KEY_FORMAT = /^clk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; lookupId: string; secretHash: string } {
  const lookupId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { key: `clk_${lookupId}_${secret}`, lookupId, secretHash: sha256(secret) };
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time comparison of two strings of any length (compares their digests). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** Two hex SHA-256 digests compared in constant time (both have the same length when well-formed). */
function sameDigest(stored: string, presented: string): boolean {
  const a = Buffer.from(stored, "hex");
  const b = Buffer.from(presented, "hex");
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

/**
 * The principal a presented key stands for, or undefined when the key is malformed, unknown,
 * revoked or expired (all of which are the same 401 to the caller). Never cached: a revoked key
 * is refused from the next request on (SPEC). One indexed query per request (the unique lookupId,
 * with the reseller of a reseller key joined in), written as SQL because TypeORM's find and
 * hydration cost more CPU than the lookup itself; the values read back are hydrated by the
 * driver as the entity's columns say (SQLite's text timestamps and 0/1, the permissions' JSON).
 */
export async function principalForKey(dataSource: DataSource, presented: string, now = new Date()): Promise<Principal | undefined> {
  const match = KEY_FORMAT.exec(presented);
  if (!match) return undefined;
  const [, lookupId, secret] = match as unknown as [string, string, string];
  const lookup = lookupOf(dataSource);
  const [raw] = (await dataSource.query(lookup.sql, [lookupId])) as Array<Record<string, unknown>>;
  if (!raw) return undefined;
  const row = lookup.hydrate(raw);
  if (!sameDigest(row.secretHash, sha256(secret))) return undefined;
  if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) return undefined;
  if (row.projectId) {
    return {
      kind: "project",
      projectId: row.projectId,
      permissions: row.permissions as Status200Permission[],
      ...(row.accessLevel ? { accessLevel: row.accessLevel as ProjectAccessLevel } : {}),
    };
  }
  if (row.resellerId) {
    if (!row.reseller) return undefined;
    // Reseller and platform keys always carry the level their scope implies (set at creation).
    return { kind: "reseller", resellerId: row.reseller._id, ownProjectId: row.reseller.ownProjectId, accessLevel: "RESELLER" };
  }
  if (row.platform) return { kind: "platform", accessLevel: "ADMIN" };
  return undefined;
}

type KeyRow = Pick<ApiKey, "secretHash" | "projectId" | "resellerId" | "platform" | "permissions" | "accessLevel" | "expiresAt" | "revokedAt"> & {
  reseller?: Pick<Reseller, "_id" | "ownProjectId">;
};
const KEY_COLUMNS = ["secretHash", "projectId", "resellerId", "platform", "permissions", "accessLevel", "expiresAt", "revokedAt"] as const;
const RESELLER_COLUMNS = ["_id", "ownProjectId"] as const;

/** The lookup's SQL and hydration for one data source, built once from the entities' metadata. */
const lookups = new WeakMap<DataSource, { sql: string; hydrate: (raw: Record<string, unknown>) => KeyRow }>();
function lookupOf(dataSource: DataSource) {
  let lookup = lookups.get(dataSource);
  if (lookup) return lookup;
  const { driver } = dataSource;
  const keys = dataSource.getMetadata(ApiKeyEntity);
  const resellers = dataSource.getMetadata(ResellerEntity);
  const column = (metadata: typeof keys, property: string) => metadata.findColumnWithPropertyName(property)!;
  const select = (metadata: typeof keys, alias: string, properties: readonly string[], prefix: string) =>
    properties.map((p) => `"${alias}".${driver.escape(column(metadata, p).databaseName)} AS "${prefix}${p}"`);
  const sql =
    `SELECT ${[...select(keys, "k", KEY_COLUMNS, ""), ...select(resellers, "s", RESELLER_COLUMNS, "reseller.")].join(", ")} ` +
    `FROM ${driver.escape(keys.tableName)} "k" LEFT JOIN ${driver.escape(resellers.tableName)} "s" ` +
    `ON "s".${driver.escape(column(resellers, "_id").databaseName)} = "k".${driver.escape(column(keys, "resellerId").databaseName)} ` +
    `WHERE "k".${driver.escape(column(keys, "lookupId").databaseName)} = ${driver.createParameter("lookupId", 0)}`;
  const hydrate = (raw: Record<string, unknown>): KeyRow => {
    const row: Record<string, unknown> = {};
    for (const p of KEY_COLUMNS) row[p] = driver.prepareHydratedValue(raw[p], column(keys, p));
    if (raw["reseller._id"] != null) {
      row["reseller"] = Object.fromEntries(RESELLER_COLUMNS.map((p) => [p, driver.prepareHydratedValue(raw[`reseller.${p}`], column(resellers, p))]));
    }
    return row as KeyRow;
  };
  lookups.set(dataSource, (lookup = { sql, hydrate }));
  return lookup;
}
