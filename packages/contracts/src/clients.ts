import createClient, { type FetchOptions, type FetchResponse, type Middleware } from "openapi-fetch";
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

type Method = "get" | "put" | "post" | "delete" | "patch";
type Operation = Record<string, any>; // openapi-fetch's own bound on an operation

/** The operation of `Paths[P]` for method `M`, or never. */
type OperationOf<Paths, P, M extends Method> = P extends keyof Paths
  ? Paths[P] extends { [K in M]: infer Op } ? (Op extends Operation ? Op : never) : never
  : never;

/**
 * The paths the client offers for `M`. fetch cannot send a body by GET, so a GET twin whose
 * contract requires a body is not offered at all (use its POST twin).
 */
type PathsFor<Paths, M extends Method> = {
  [P in keyof Paths]: [OperationOf<Paths, P, M>] extends [never]
    ? never
    : M extends "get" ? (OperationOf<Paths, P, M> extends { requestBody: object } ? never : P) : P;
}[keyof Paths] & string;

/** The request options of one operation: exact types, so an unknown field is a compile error. A GET never takes `body`. */
export type OperationInit<Op extends Operation, M extends Method> = M extends "get"
  ? Omit<FetchOptions<Op>, "body"> & { body?: never }
  : FetchOptions<Op>;

/** The options argument is optional exactly when nothing in it is required. */
type InitArgument<I> = {} extends I ? [init?: I] : [init: I];

/**
 * One HTTP method of a commlog client. Unlike openapi-fetch's own signature, the options are not a
 * type parameter inferred from the argument: they are the operation's exact request type, so
 * TypeScript's excess-property check catches a misspelled or unknown field in `select`, `query`,
 * `sort`, `data` or `params` of an inline call.
 */
export type ClientMethod<Paths, M extends Method> = <P extends PathsFor<Paths, M>>(
  url: P,
  ...init: InitArgument<OperationInit<OperationOf<Paths, P, M>, M>>
) => Promise<FetchResponse<OperationOf<Paths, P, M>, {}, `${string}/${string}`>>;

/** A typed client of one dialect (openapi-fetch underneath). */
export interface CommlogClient<Paths> {
  GET: ClientMethod<Paths, "get">;
  PUT: ClientMethod<Paths, "put">;
  POST: ClientMethod<Paths, "post">;
  DELETE: ClientMethod<Paths, "delete">;
  PATCH: ClientMethod<Paths, "patch">;
  /** Register middleware (openapi-fetch's). */
  use(...middleware: Middleware[]): void;
  /** Unregister middleware. */
  eject(...middleware: Middleware[]): void;
}

export type Status200Client = CommlogClient<Status200Paths>;
export type TelecomXClient = CommlogClient<TelecomXPaths>;
export type ExolveClient = CommlogClient<ExolvePaths>;
export type InternalClient = CommlogClient<InternalPaths>;

function client<Paths extends {}>(options: ClientOptions, auth: Record<string, string>): CommlogClient<Paths> {
  const { headers, ...rest } = options;
  // The runtime is openapi-fetch's; only the method signatures are narrowed (see ClientMethod).
  return createClient<Paths>({ ...rest, headers: { ...headers, ...auth } }) as unknown as CommlogClient<Paths>;
}

/** A typed Status200 client: the key travels in the `ApiKey` header. */
export function createStatus200Client(options: ClientOptions & { apiKey: string }): Status200Client {
  const { apiKey, ...rest } = options;
  return client<Status200Paths>(rest, { ApiKey: apiKey });
}

/** A typed TelecomX client: the key travels as `Authorization: Bearer <key>`. */
export function createTelecomXClient(options: ClientOptions & { apiKey: string }): TelecomXClient {
  const { apiKey, ...rest } = options;
  return client<TelecomXPaths>(rest, { Authorization: `Bearer ${apiKey}` });
}

/** A typed Exolve client: the key travels as `Authorization: Bearer <key>`. */
export function createExolveClient(options: ClientOptions & { apiKey: string }): ExolveClient {
  const { apiKey, ...rest } = options;
  return client<ExolvePaths>(rest, { Authorization: `Bearer ${apiKey}` });
}

/** A typed client of commlog's internal API: the admin token travels as `Authorization: Bearer <token>`. */
export function createInternalClient(options: ClientOptions & { adminToken: string }): InternalClient {
  const { adminToken, ...rest } = options;
  return client<InternalPaths>(rest, { Authorization: `Bearer ${adminToken}` });
}
