import { permissionTable, type AccessRule } from "@commlog/contracts";
import { authorize, type Principal } from "@commlog/domain";
import type { Request, Response } from "express";
import type { DataSource } from "typeorm";
import { principalForKey, safeEqual } from "../auth/api-keys.js";
import type { Dialect } from "./dialects.js";

type OpenApiRequest = Request & { openapi?: { schema: { operationId: string }; openApiRoute: string } };

/** The operation's access rule, read from the generated permission table and nothing else. */
export function ruleOf(dialect: Dialect, req: Request): AccessRule {
  const operationId = (req as OpenApiRequest).openapi?.schema.operationId;
  const operations = permissionTable[dialect] as Record<string, { access: AccessRule }>;
  const entry = operationId ? operations[operationId] : undefined;
  if (!entry) throw new Error(`no permission table entry for ${dialect} ${operationId}`);
  return entry.access;
}

/** The methods of a path that are not "not via API" (for the `Allow` header of a 405). */
function allowedMethods(dialect: Dialect, openApiRoute: string): string {
  return Object.values(permissionTable[dialect] as Record<string, { method: string; path: string; access: AccessRule }>)
    .filter((entry) => entry.path === openApiRoute && !("notViaApi" in entry.access))
    .map((entry) => entry.method)
    .join(", ");
}

function failure(status: number, message: string): Error {
  return Object.assign(new Error(message), { status });
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error("no authenticated principal on this response");
  return principal;
}

/** The credential a dialect's scheme carries: the `ApiKey` header or a Bearer token. */
function credentialOf(dialect: Dialect, req: Request): string | undefined {
  if (dialect === "status200") {
    const value = req.headers.apikey;
    return typeof value === "string" ? value.trim() : undefined;
  }
  const match = /^Bearer ([^\s,]+)$/i.exec(req.headers.authorization?.trim() ?? "");
  return match?.[1];
}

/**
 * The validator's security handler for a dialect. It runs after routing and before request
 * validation, giving the order of checks 401 → 405 → 403 → 400 (SPEC §9): authenticate the key
 * or admin token, then apply the operation's rule from the permission table.
 */
export function securityHandler(dialect: Dialect, deps: { dataSource: DataSource; adminToken?: string }) {
  return async (req: Request): Promise<true> => {
    const res = req.res!;
    const rule = ruleOf(dialect, req);
    const credential = credentialOf(dialect, req);
    let principal: Principal | undefined;
    if (rule.scheme === "AdminToken") {
      principal = credential && deps.adminToken && safeEqual(credential, deps.adminToken) ? { kind: "admin-token" } : undefined;
    } else if (credential) {
      // The validator answers any error thrown here with a generic 401/500; keep the real cause
      // (e.g. a database outage, a 503) for the error handler.
      principal = await principalForKey(deps.dataSource, credential).catch((error: unknown) => {
        res.locals.cause = error;
        throw error;
      });
    }
    if (!principal) throw failure(401, dialect === "status200" ? "missing, invalid, expired or revoked API key" : "invalid, expired or revoked token");

    res.setHeader("Cache-Control", "no-store");
    const decision = authorize(rule, principal);
    if (!decision.ok) {
      if (decision.status === 405) res.setHeader("Allow", allowedMethods(dialect, (req as OpenApiRequest).openapi!.openApiRoute));
      throw failure(decision.status, decision.message);
    }
    res.locals.principal = principal;
    // A malformed body or query found before authentication is answered now, after 401/405/403.
    if (res.locals.deferredError) {
      res.locals.cause = res.locals.deferredError;
      throw res.locals.deferredError;
    }
    return true;
  };
}
