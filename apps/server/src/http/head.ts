import { loadOpenApiDocument } from "@commlog/contracts/documents";
import type { RequestHandler } from "express";
import { dialects } from "./dialects.js";

/** OpenAPI `/a/{id}/b` -> a pattern matching exactly that path with any one segment for `{id}`. */
export function pathPattern(openApiPath: string): RegExp {
  const parts = openApiPath.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[^/]+")}$`);
}

/** The paths of the GET operations the contract marks `x-commlog-unsafe` (specs/common/unsafe.tsp). */
export function unsafeGetPaths(): string[] {
  return dialects.flatMap((dialect) =>
    Object.entries(loadOpenApiDocument(dialect).paths)
      .filter(([, item]) => (item["get"] as { "x-commlog-unsafe"?: boolean } | undefined)?.["x-commlog-unsafe"] === true)
      .map(([path]) => path),
  );
}

/**
 * HEAD is GET without a body (SPEC §9): the validator knows no HEAD operation, so a HEAD request
 * is validated, authorized and answered as the GET (Node leaves the body out). Not on a GET the
 * contract marks unsafe (a GET alternative of a write): HEAD stays HEAD there, which the validator
 * answers 405, so a HEAD never writes.
 */
export function headAsGet(): RequestHandler {
  const unsafe = unsafeGetPaths().map(pathPattern);
  return (req, _res, next) => {
    if (req.method === "HEAD" && !unsafe.some((pattern) => pattern.test(req.path))) req.method = "GET";
    next();
  };
}
