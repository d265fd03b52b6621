import { permissionTable } from "@commlog/contracts";
import express, { type RequestHandler, type Response } from "express";
import { HttpError } from "./errors.js";
import { dialectOf } from "./dialects.js";

/** Request bodies above 1 MiB are a 413; internal SMS ingest (up to 1000 messages, MMS included) may take 32 MiB. */
export const BODY_LIMIT = "1mb";
export const INGEST_BODY_LIMIT = "32mb";

const isJsonType = (type: string | undefined) => /^application\/json\s*(;|$)/i.test(type ?? "");

/**
 * JSON bodies (SPEC §9 "HTTP"): any `application/json` content type (parameters allowed) is JSON;
 * for Exolve a missing content type is JSON too; an empty body is `{}`; a non-object body is a 400
 * (Exolve "syntax error"). Other content types are left unparsed, and the validator answers 415
 * where the operation takes a body.
 *
 * Problems found here are not answered at once but deferred (see `deferRequestError`): the order
 * of checks is 401 → 405 → 403 → 400, so a malformed body must not hide a missing key.
 */
export function jsonBodies(): RequestHandler[] {
  const parse = (limit: string) =>
    express.json({ limit, strict: false, type: (req) => isJsonType(req.headers["content-type"]) });
  const ingest = parse(INGEST_BODY_LIMIT);
  const regular = parse(BODY_LIMIT);
  return [
    (req, _res, next) => {
      if (!req.headers["content-type"] && dialectOf(req.path) === "exolve" && req.headers["content-length"] !== "0") {
        req.headers["content-type"] = "application/json";
      }
      next();
    },
    (req, res, next) =>
      (req.path === permissionTable.internal.Sms_ingest.path ? ingest : regular)(req, res, (error?: unknown) => {
        if (error) {
          deferRequestError(res, error);
          req.body = {};
        }
        next();
      }),
    (req, res, next) => {
      if (req.body === undefined) req.body = {};
      else if (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)) {
        deferRequestError(res, new HttpError(400, "syntax_error", "syntax error: the body must be a JSON object"));
        req.body = {};
      }
      next();
    },
    (req, res, next) => {
      const field = nulCharacterIn(req.body, "") ?? (/%00/i.test(req.originalUrl) ? nulInUrl(req.originalUrl) : undefined);
      if (field !== undefined) deferRequestError(res, new HttpError(400, "invalid_value", `${field}: must not contain the character U+0000`));
      next();
    },
    (req, res, next) => {
      for (const name of INTEGER_QUERY_PARAMETERS) {
        const value = req.query[name];
        if (value !== undefined && !(typeof value === "string" && /^-?\d{1,10}$/.test(value))) {
          deferRequestError(res, new HttpError(400, "invalid_value", `${name}: must be a decimal integer`));
        }
      }
      next();
    },
  ];
}

/**
 * The integer query parameters of every dialect (Status200 skip/limit, TelecomX offset/limit).
 * The validator coerces strings with `Number()`, which would take `1e3`, `0x10` or `1e400`
 * (Infinity); these must be plain decimal integers (SPEC §4: anything else is a 400).
 */
const INTEGER_QUERY_PARAMETERS = ["skip", "limit", "offset"];

/**
 * No string anywhere may hold U+0000 (SPEC §10): PostgreSQL text cannot store it, and SQLite would
 * store what PostgreSQL refuses. The path of the first string (or key) that holds one, or undefined.
 */
function nulCharacterIn(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path || "body" : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes("\u0000")) return itemPath;
    const found = nulCharacterIn(item, itemPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The query parameter (or "path") whose decoded text holds U+0000. */
function nulInUrl(url: string): string {
  const [pathname = "", query = ""] = url.split("?", 2);
  if (/%00/i.test(pathname)) return "path";
  const parameter = query.split("&").find((pair) => /%00/i.test(pair));
  return decodeURIComponent((parameter ?? "").split("=")[0]!.replace(/%00/gi, "")) || "query";
}

/** Keeps the first problem of a request, to be raised once the caller is authenticated and authorized. */
export function deferRequestError(res: Response, error: unknown): void {
  res.locals.deferredError ??= error;
}
