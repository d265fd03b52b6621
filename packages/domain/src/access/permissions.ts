import { accessLevels, status200Permissions, type AccessLevel, type AccessRule, type Status200Permission } from "@commlog/contracts";
import { invalid } from "../common/errors.js";

// The permission vocabulary and the forms of an access rule are the specs' (generated into
// @commlog/contracts); the domain decides what they allow.
export { type AccessLevel, type AccessRule, type Status200Permission };
export const STATUS200_PERMISSIONS = status200Permissions;
export const ACCESS_LEVELS = accessLevels;
export type ProjectAccessLevel = Extract<AccessLevel, "VIEWER" | "MANAGER" | "OWNER">;

/**
 * Who is calling, once the key (or admin token) has been authenticated.
 * `admin-token` is the internal API's configured token, not an API key.
 */
export type Principal =
  | { kind: "project"; projectId: string; permissions: readonly Status200Permission[]; accessLevel?: ProjectAccessLevel }
  | { kind: "reseller"; resellerId: string; ownProjectId: string; accessLevel: "RESELLER" }
  | { kind: "platform"; accessLevel: "ADMIN" }
  | { kind: "admin-token" };

export type Decision =
  | { ok: true }
  | { ok: false; status: 401; code: "unauthorized"; message: string }
  | { ok: false; status: 403; code: "permission_denied" | "access_denied"; message: string }
  | { ok: false; status: 405; code: "not_via_api"; message: string };

const EXOLVE_UNAUTHORIZED = "authorization token is invalid";

/**
 * Decides whether an authenticated principal may run an operation. No
 * hierarchy: a key passes when it holds any permission (or access level) in
 * the rule's list.
 */
export function authorize(rule: AccessRule, principal: Principal): Decision {
  if (rule.scheme === "AdminToken") {
    return principal.kind === "admin-token" ? { ok: true } : { ok: false, status: 401, code: "unauthorized", message: "admin token required" };
  }
  // The admin token is not an API key: it opens no dialect but the internal one.
  if (principal.kind === "admin-token") {
    return { ok: false, status: 401, code: "unauthorized", message: rule.scheme === "Bearer" && "anyOf" in rule ? EXOLVE_UNAUTHORIZED : "invalid API key" };
  }
  if ("notViaApi" in rule) {
    return { ok: false, status: 405, code: "not_via_api", message: "this resource cannot be written via the API" };
  }
  if ("accessLevels" in rule) {
    return principal.accessLevel !== undefined && rule.accessLevels.includes(principal.accessLevel)
      ? { ok: true }
      : { ok: false, status: 403, code: "access_denied", message: "Insufficient access level" };
  }
  const held = principal.kind === "project" && principal.permissions.some((p) => rule.anyOf.includes(p));
  if (held) return { ok: true };
  // Exolve (SPEC §9): any key that may not count SMS is simply not a valid token there.
  if (rule.scheme === "Bearer") return { ok: false, status: 401, code: "unauthorized", message: EXOLVE_UNAUTHORIZED };
  return {
    ok: false,
    status: 403,
    code: "permission_denied",
    message: `this API key lacks the permission for this operation; any of these would allow it: ${rule.anyOf.join(", ")}`,
  };
}

export type KeyScope = "project" | "reseller" | "platform";

export interface KeyGrants {
  permissions: Status200Permission[];
  accessLevel?: AccessLevel;
}

const LEVELS_BY_SCOPE: Record<KeyScope, readonly AccessLevel[]> = {
  project: ["VIEWER", "MANAGER", "OWNER"],
  reseller: ["RESELLER"],
  platform: ["ADMIN"],
};

/**
 * Grants must fit the key's scope (SPEC §9): project keys carry permissions
 * and VIEWER/MANAGER/OWNER; reseller keys RESELLER, platform keys ADMIN, and
 * neither carries Status200 permissions (those are per project). No access
 * level at all is allowed. Returns the grants with duplicates removed.
 */
export function validateKeyGrants(input: { scope: KeyScope; permissions?: readonly unknown[] | undefined; accessLevel?: unknown }): KeyGrants {
  const permissions: Status200Permission[] = [];
  for (const [i, p] of (input.permissions ?? []).entries()) {
    if (typeof p !== "string" || !(STATUS200_PERMISSIONS as readonly string[]).includes(p)) {
      throw invalid(`permissions[${i}]`, `unknown permission ${JSON.stringify(p)}; known: ${STATUS200_PERMISSIONS.join(", ")}`);
    }
    if (!permissions.includes(p as Status200Permission)) permissions.push(p as Status200Permission);
  }
  if (input.scope !== "project" && permissions.length > 0) {
    throw invalid("permissions", `a ${input.scope} key cannot hold Status200 permissions (they belong to project keys)`);
  }
  if (input.accessLevel === undefined || input.accessLevel === null) return { permissions };
  const allowed = LEVELS_BY_SCOPE[input.scope];
  if (typeof input.accessLevel !== "string" || !allowed.includes(input.accessLevel as AccessLevel)) {
    throw invalid("accessLevel", `a ${input.scope} key may have access level ${allowed.join(" or ")}, not ${JSON.stringify(input.accessLevel)}`);
  }
  return { permissions, accessLevel: input.accessLevel as AccessLevel };
}
