import createClient, { type Client } from "openapi-fetch";
import type { paths as ExolvePaths } from "./generated/exolve/types.js";
import type { paths as InternalPaths } from "./generated/internal/types.js";
import type { paths as Status200Paths } from "./generated/status200/types.js";
import type { paths as TelecomXPaths } from "./generated/telecomx/types.js";

/** Where the server is, and optionally a fetch implementation and extra headers. */
export interface ClientOptions {
  /** The deployment's base URL, e.g. `http://127.0.0.1:3000`; the vendor paths are appended. */
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

/** A typed Status200 client: the key travels in the `ApiKey` header. */
export function createStatus200Client(options: ClientOptions & { apiKey: string }): Client<Status200Paths> {
  const { apiKey, headers, ...rest } = options;
  return createClient<Status200Paths>({ ...rest, headers: { ...headers, ApiKey: apiKey } });
}

/** A typed TelecomX client: the key travels as `Authorization: Bearer <key>`. */
export function createTelecomXClient(options: ClientOptions & { apiKey: string }): Client<TelecomXPaths> {
  const { apiKey, headers, ...rest } = options;
  return createClient<TelecomXPaths>({ ...rest, headers: { ...headers, Authorization: `Bearer ${apiKey}` } });
}

/** A typed Exolve client: the key travels as `Authorization: Bearer <key>`. */
export function createExolveClient(options: ClientOptions & { apiKey: string }): Client<ExolvePaths> {
  const { apiKey, headers, ...rest } = options;
  return createClient<ExolvePaths>({ ...rest, headers: { ...headers, Authorization: `Bearer ${apiKey}` } });
}

/** A typed client of commlog's internal API: the admin token travels as `Authorization: Bearer <token>`. */
export function createInternalClient(options: ClientOptions & { adminToken: string }): Client<InternalPaths> {
  const { adminToken, headers, ...rest } = options;
  return createClient<InternalPaths>({ ...rest, headers: { ...headers, Authorization: `Bearer ${adminToken}` } });
}
