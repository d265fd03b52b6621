import { createRequire } from "node:module";
import { loadOpenApiDocument } from "@commlog/contracts/documents";
import { isTimestamp } from "@commlog/domain";
import * as OpenApiValidator from "express-openapi-validator";
import type { RequestHandler } from "express";
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
    const key = `${path}\u0000${optionsKey(options)}`;
    let pattern = compiled.get(key);
    if (pattern === undefined) compiled.set(key, (pattern = compile(path, options)));
    return pattern;
  };
}

/** The validator passes `{sensitive, strict}` on every request: keyed without JSON.stringify, which cost as much as the match. */
function optionsKey(options: object | undefined): string {
  if (options === undefined) return "";
  const o = options as Record<string, unknown>;
  let n = 0;
  for (const _ in o) n++;
  return n === 2 && "sensitive" in o && "strict" in o ? `${String(o["sensitive"])},${String(o["strict"])}` : JSON.stringify(options);
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
  const validator = inOrder(
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
      // No operation takes multipart bodies: no multer stage on every request.
      fileUploader: false,
    }) as RequestHandler[],
  );
  // Only this dialect's requests enter its validator: the validator's later stages act on any
  // request another dialect's validator has already routed.
  return (req, res, next) => (prefix.test(req.path) ? validator(req, res, next) : next());
}

/**
 * The validator's stages run one after the other, as a Router mounted at "/" would run them but
 * without its per-stage path matching and bookkeeping (a few percent of a cheap request's CPU):
 * an error (passed to `next`, thrown or rejected) leaves the chain for the error handler.
 */
function inOrder(stages: RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let i = 0;
    const next = (error?: unknown): void => {
      if (error === "route" || error === "router") return done();
      if (error !== undefined && error !== null) return done(error);
      const stage = stages[i++];
      if (!stage) return done();
      try {
        const result: unknown = stage(req, res, next);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
