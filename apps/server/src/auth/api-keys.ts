import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Principal, ProjectAccessLevel, Status200Permission } from "@commlog/domain";
import type { DataSource } from "typeorm";
import { ApiKeyEntity, ResellerEntity, type ApiKey } from "../db/entities.js";

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

/**
 * The principal a presented key stands for, or undefined when the key is malformed, unknown,
 * revoked or expired (all of which are the same 401 to the caller).
 */
export async function principalForKey(dataSource: DataSource, presented: string, now = new Date()): Promise<Principal | undefined> {
  const match = KEY_FORMAT.exec(presented);
  if (!match) return undefined;
  const [, lookupId, secret] = match as unknown as [string, string, string];
  const row = await dataSource.getRepository(ApiKeyEntity).findOneBy({ lookupId });
  if (!row || !safeEqual(row.secretHash, sha256(secret))) return undefined;
  if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) return undefined;
  return principalFromRow(dataSource, row);
}

async function principalFromRow(dataSource: DataSource, row: ApiKey): Promise<Principal | undefined> {
  if (row.projectId) {
    return {
      kind: "project",
      projectId: row.projectId,
      permissions: row.permissions as Status200Permission[],
      ...(row.accessLevel ? { accessLevel: row.accessLevel as ProjectAccessLevel } : {}),
    };
  }
  if (row.resellerId) {
    const reseller = await dataSource.getRepository(ResellerEntity).findOneBy({ _id: row.resellerId });
    if (!reseller) return undefined;
    // Reseller and platform keys always carry the level their scope implies (set at creation).
    return { kind: "reseller", resellerId: reseller._id, ownProjectId: reseller.ownProjectId, accessLevel: "RESELLER" };
  }
  if (row.platform) return { kind: "platform", accessLevel: "ADMIN" };
  return undefined;
}
