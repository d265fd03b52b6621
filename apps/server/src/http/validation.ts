import { loadOpenApiDocument } from "@commlog/contracts";
import { isTimestamp } from "@commlog/domain";
import * as OpenApiValidator from "express-openapi-validator";
import { Router, type RequestHandler } from "express";
import type { DataSource } from "typeorm";
import { securityHandler } from "./access.js";
import { dialectPrefixes, type Dialect } from "./dialects.js";
import { notFound } from "./errors.js";

/**
 * Request (and optionally response) validation against a dialect's emitted OpenAPI document, with
 * authentication and authorization as its security handler. Within the dialect's prefix an
 * undocumented path is 404 and an undocumented method 405.
 *
 * Routed before validating: each path of the document gets a validator of its own, found by a
 * pattern compiled once. (One validator for the whole document rebuilds the route pattern of every
 * path it holds on every request, a third of a cheap request's CPU.)
 */
export function contractValidator(
  dialect: Dialect,
  deps: { dataSource: DataSource; adminToken?: string; validateResponses: boolean },
): RequestHandler {
  const document = loadOpenApiDocument(dialect);
  const schemeName = Object.keys((document.components?.securitySchemes ?? {}) as object)[0]!;
  const prefix = dialectPrefixes[dialect];
  const options = {
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses: deps.validateResponses,
    validateFormats: true,
    // "full" checks real calendar dates (no month 13, no February 30), not only their shape;
    // date-time is the domain's own reading, which also bounds the instant to years 0001..9999 UTC.
    ajvFormats: { mode: "full" as const },
    formats: { "date-time": { type: "string" as const, validate: isTimestamp } },
    validateSecurity: { handlers: { [schemeName]: securityHandler(dialect, deps) } },
  };
  const routes = Object.entries(document.paths ?? {}).map(([path, operations]) => ({
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}/]+\}/g, "[^/]+")}$`),
    validator: Router().use(OpenApiValidator.middleware({ ...options, apiSpec: documentOfPath(document, path, operations) as never }) as RequestHandler[]),
  }));
  // Only this dialect's requests enter its validators: the validator's later stages act on any
  // request another dialect's validator has already routed.
  return (req, res, next) => {
    if (!prefix.test(req.path)) return next();
    const route = routes.find(({ pattern }) => pattern.test(req.path));
    if (!route) return next(notFound());
    route.validator(req, res, next);
  };
}

type OpenApiDocument = ReturnType<typeof loadOpenApiDocument>;

/** The document reduced to one path and the components it reaches, so each validator prepares only those. */
function documentOfPath(document: OpenApiDocument, path: string, operations: unknown): OpenApiDocument {
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  const reached: Record<string, Record<string, unknown>> = { securitySchemes: components.securitySchemes ?? {} };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const [, section, name] = (key === "$ref" && typeof value === "string" && /^#\/components\/([^/]+)\/(.+)$/.exec(value)) || [];
      if (section && name && !reached[section]?.[name]) {
        (reached[section] ??= {})[name] = components[section]?.[name];
        visit(components[section]?.[name]);
      } else visit(value);
    }
  };
  visit(operations);
  return { ...document, paths: { [path]: operations }, components: reached } as OpenApiDocument;
}
