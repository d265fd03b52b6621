/**
 * `@commlog/contracts/documents`: the emitted OpenAPI documents, read from the package's files.
 * Node only (it reads with node:fs), which is why it is a subpath of its own: the root entry stays
 * safe for browser bundles. In a bundler, import `@commlog/contracts/openapi/<dialect>.json` instead.
 */
import { readFileSync } from "node:fs";
import type { Dialect, OpenApiDocument } from "./dialects.js";

export { dialects, type Dialect, type OpenApiDocument } from "./dialects.js";

/**
 * A fresh copy of a dialect's emitted OpenAPI document. It is read from the package's
 * `src/generated/<dialect>/openapi.json` (shipped in the package), so the same file serves the
 * server, the conformance suite and other teams.
 */
export function loadOpenApiDocument(dialect: Dialect): OpenApiDocument {
  const url = new URL(`../src/generated/${dialect}/openapi.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as OpenApiDocument;
}
