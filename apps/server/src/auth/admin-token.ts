import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The internal API's admin token (SPEC §7): `COMMLOG_ADMIN_TOKEN` when configured. On the embedded
 * SQLite default without one, a token is generated on first start and kept in the data folder
 * (owner-only permissions); only its path is ever printed. On PostgreSQL without one, there is no
 * token and the internal API answers 404.
 */
export function resolveAdminToken(options: { configured?: string; embedded: boolean; dataDir: string }): {
  token?: string;
  generatedAt?: string;
  file?: string;
} {
  if (options.configured) return { token: options.configured };
  if (!options.embedded) return {};
  const file = path.join(options.dataDir, "admin-token");
  if (existsSync(file)) return { token: readFileSync(file, "utf8").trim(), file };
  mkdirSync(options.dataDir, { recursive: true });
  const token = randomBytes(32).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: "wx" });
  return { token, generatedAt: file, file };
}
