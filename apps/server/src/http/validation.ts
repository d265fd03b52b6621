import { createRequire } from "node:module";
import { loadOpenApiDocument } from "@commlog/contracts/documents";
import { isTimestamp } from "@commlog/domain";
import * as OpenApiValidator from "express-openapi-validator";
import { Router, type RequestHandler } from "express";
import type { DataSource } from "typeorm";
import { securityHandler } from "./access.js";
import { dialectPrefixes, type Dialect } from "./dialects.js";

/**
 * express-openapi-validator 5.6 finds a request's route by compiling the path-to-regexp pattern of
 * every route of the document again, on every request: a third of a cheap request's CPU. A
 * pattern depends only on the route and the options, so the path-to-regexp module the validator
 * loads gets a memoized `pathToRegexp` (its results are plain, non-global regular expressions,
 * safe to share). Resolved from the validator's own location, so it is the instance it uses.
 */
function memoizeValidatorRoutePatterns(): void {
  const module = createRequire(import.meta.resolve("express-openapi-validator"))("path-to-regexp") as { pathToRegexp: (path: string, options?: object) => unknown };
  const compile = module.pathToRegexp;
  const compiled = new Map<string, unknown>();
  module.pathToRegexp = (path, options) => {
    const key = `${path}\u0000${JSON.stringify(options ?? {})}`;
    if (!compiled.has(key)) compiled.set(key, compile(path, options));
    return compiled.get(key);
  };
}
memoizeValidatorRoutePatterns();

/**
 * Request (and optionally response) validation against a dialect's emitted OpenAPI document, with
 * authentication and authorization as its security handler. Within the dialect's prefix an
 * undocumented path is 404 and an undocumented method 405.
 */
export function contractValidator(
  dialect: Dialect,
  deps: { dataSource: DataSource; adminToken?: string; validateResponses: boolean },
): RequestHandler {
  const document = loadOpenApiDocument(dialect);
  const schemeName = Object.keys((document.components?.securitySchemes ?? {}) as object)[0]!;
  const prefix = dialectPrefixes[dialect];
  const validator = Router().use(
    OpenApiValidator.middleware({
      apiSpec: document as never,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.validateResponses,
      validateFormats: true,
      // "full" checks real calendar dates (no month 13, no February 30), not only their shape;
      // date-time is the domain's own reading, which also bounds the instant to years 0001..9999 UTC.
      ajvFormats: { mode: "full" },
      formats: { "date-time": { type: "string", validate: isTimestamp } },
      validateSecurity: { handlers: { [schemeName]: securityHandler(dialect, deps) } },
    }) as RequestHandler[],
  );
  // Only this dialect's requests enter its validator: the validator's later stages act on any
  // request another dialect's validator has already routed.
  return (req, res, next) => (prefix.test(req.path) ? validator(req, res, next) : next());
}
