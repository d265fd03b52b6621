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
