/**
 * commlog's API contracts, generated from the TypeSpec sources in `specs/`:
 * the OpenAPI documents, their TypeScript types, the permission table and typed clients.
 *
 *   import type { SmsLog, Status200 } from "@commlog/contracts";
 *   import { createStatus200Client, permissionTable } from "@commlog/contracts";
 *   import { loadOpenApiDocument } from "@commlog/contracts/documents"; // Node only
 *
 * This root entry imports nothing of Node's, so browser bundles can use the clients.
 */
import { permissionTable, type PermissionTable } from "./generated/permissions.js";
import type { Dialect } from "./dialects.js";

export { permissionTable, type PermissionTable };
export { dialects, type Dialect, type OpenApiDocument } from "./dialects.js";
export * from "./clients.js";

/** The operation ids of a dialect. */
export type OperationId<D extends Dialect = Dialect> = keyof PermissionTable[D] & string;

export { accessLevels, status200Permissions, type AccessLevel, type AccessRule, type Status200Permission } from "./generated/access.js";
/** Field catalogs, query operators and the Exolve field table, generated from the documents. */
export * from "./generated/status200/catalog.js";
export * from "./generated/exolve/fields.js";
export { contractEnums } from "./generated/enums.js";

/** Named types of each dialect: every schema, and per operation its `…RequestBody`, `…Parameters` and `…ResponseBody`. */
export type * as Status200 from "./generated/status200/aliases.js";
export type * as TelecomX from "./generated/telecomx/aliases.js";
export type * as Exolve from "./generated/exolve/aliases.js";
export type * as Internal from "./generated/internal/aliases.js";

/** The raw openapi-typescript output of each dialect. */
export type * as Status200Types from "./generated/status200/types.js";
export type * as TelecomXTypes from "./generated/telecomx/types.js";
export type * as ExolveTypes from "./generated/exolve/types.js";
export type * as InternalTypes from "./generated/internal/types.js";

/** The Status200 resources, at the top level for convenience. */
export type {
  SmsLog,
  SmsLogQuery,
  SmsLogSelect,
  SmsLogSort,
  IncomingCallLog,
  IncomingCallLogQuery,
  IncomingCallLogItem,
  IncomingCallLogItemQuery,
  IncomingCallLogItemCreateData,
  IncomingCallLogItemUpdateData,
} from "./generated/status200/aliases.js";
