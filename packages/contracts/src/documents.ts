import { readFileSync } from "node:fs";

/** The four API dialects commlog serves. */
export const dialects = ["status200", "telecomx", "exolve", "internal"] as const;
export type Dialect = (typeof dialects)[number];

/** An OpenAPI 3.1 document as emitted from the TypeSpec sources (plain JSON). */
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [extension: string]: unknown;
};

/**
 * A fresh copy of a dialect's emitted OpenAPI document. It is read from the package's
 * `src/generated/<dialect>/openapi.json` (shipped in the package), so the same file serves the
 * server, the conformance suite and other teams.
 */
export function loadOpenApiDocument(dialect: Dialect): OpenApiDocument {
  const url = new URL(`../src/generated/${dialect}/openapi.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as OpenApiDocument;
}
