import type { Status200 } from "@commlog/contracts";
import { isDomainError, type DomainErrorCode } from "@commlog/domain";
import { dialectOf } from "./dialects.js";
import { acceptedAt, plainMessage } from "./error-words.js";

/**
 * The kinds of error, one stable code each: the contract's `Commlog.Common.ErrorCode` (the code of
 * the Status200 and internal bodies; TelecomX and Exolve render their own vocabularies from it).
 */
export type ErrorCode = Status200.ErrorCode;

/** An error the server raises itself, with the status and code it should be answered with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An error on its way out: the HTTP status, a stable code, a message that names the offending field. */
export interface Problem {
  status: number;
  code: ErrorCode;
  message: string;
  /** The offending field, when there is one (`query.status`, `limit`). */
  field?: string;
}

export const notFound = (message = "not found") => new HttpError(404, "not_found", message);

/** The domain's codes of refusals that the HTTP layer answers by status. */
const domainCodes: Record<DomainErrorCode, ErrorCode> = {
  invalid_query: "invalid_query",
  unknown_field: "unknown_field",
  invalid_value: "invalid_value",
  syntax_error: "syntax_error",
  unauthorized: "unauthorized",
  permission_denied: "forbidden",
  access_denied: "forbidden",
  not_via_api: "method_not_allowed",
  contradictory_status: "contradictory_status",
  not_found: "not_found",
  conflict: "conflict",
};

/** express-openapi-validator's errors: a status and a list of `{path, message, errorCode}`. */
interface ValidatorError {
  status: number;
  errors: Array<{ path?: string; message?: string; errorCode?: string }>;
  message: string;
}

function isValidatorError(error: unknown): error is ValidatorError {
  return typeof error === "object" && error !== null && "status" in error && Array.isArray((error as ValidatorError).errors);
}

/** body-parser's errors carry a `type` such as `entity.parse.failed`. */
function bodyParserProblem(error: { type?: string; status?: number; code?: string }): Problem | undefined {
  // The one untyped 4xx of body-parser: a Content-Encoding stream (gzip, deflate, br) that does not decode.
  if (error.type === undefined && error.status === 400 && typeof error.code === "string" && /^(Z_|ERR_)/.test(error.code)) {
    return { status: 400, code: "invalid_body", message: "the body does not decode as its Content-Encoding says" };
  }
  switch (error.type) {
    case "entity.parse.failed":
      return { status: 400, code: "syntax_error", message: "syntax error: the body is not valid JSON" };
    case "entity.too.large":
      return { status: 413, code: "payload_too_large", message: "the request body is too large" };
    case "encoding.unsupported":
    case "charset.unsupported":
      return { status: 415, code: "unsupported_media_type", message: "unsupported body encoding or charset" };
    default:
      return undefined;
  }
}

/** `/body/query/status` -> `query.status`; `/query/limit` -> `limit`; `/body/messages/0/toNumber` -> `messages[0].toNumber`. */
function fieldOf(path: string | undefined): string {
  return (path ?? "")
    .replace(/^\.?\/?(request|response)?[./]?(body|query|params|headers)[./]?/, "")
    .split(/[/.]+/)
    .filter(Boolean)
    .reduce((field, segment) => (/^\d+$/.test(segment) ? `${field}[${segment}]` : field ? `${field}.${segment}` : segment), "");
}

type SchemaError = ValidatorError["errors"][number];

/** Where the failing request was going: its dialect and operation, to read the schema of a field. */
export interface RequestContext {
  path: string;
  openapi?: { schema?: { operationId?: string } };
}

/**
 * One clear message from the validator's (all) errors, naming the field, in words (no regex, no
 * JSON Schema keyword):
 * - a property the sealed schema does not have (`unevaluatedProperties: {not: {}}` reports as
 *   `not`): "select.cost: unknown field";
 * - a value matching none of a union's forms: a format problem of a plain value or a problem inside
 *   a fitting operator if there is one ("query.createdAt.value: must be a timestamp…"), else every
 *   form the field's schema accepts (its enum names, its operators);
 * - otherwise the first error.
 */
function describeSchemaErrors(errors: SchemaError[], context: RequestContext | undefined): Problem {
  const problem = (code: ErrorCode, field: string, detail: string): Problem => ({ status: 400, code, message: field ? `${field}: ${detail}` : detail, ...(field ? { field } : {}) });
  const unknown = errors.find((e) => /^(not|additionalProperties|unevaluatedProperties)\b/.test(e.errorCode ?? "") || /Unknown query parameter/i.test(e.message ?? ""));
  if (unknown) return problem("unknown_field", fieldOf(unknown.path) || /'([^']+)'/.exec(unknown.message ?? "")?.[1] || "", "unknown field");
  const union = errors.filter((e) => e.errorCode?.startsWith("anyOf")).sort((a, b) => (a.path ?? "").length - (b.path ?? "").length)[0];
  if (union) {
    // A plain value of the right type but a bad format (a date, a phone), or a bad value inside a fitting operator.
    const inside =
      errors.find((e) => e.path === union.path && /^(format|pattern)\b/.test(e.errorCode ?? "")) ??
      errors.find((e) => e.path?.startsWith(`${union.path}/`) && !e.path.endsWith("/_type") && !/^(x-eov-)?(anyOf|required)\b/.test(e.errorCode ?? ""));
    if (inside) return problem("invalid_value", fieldOf(inside.path), plainMessage(inside.message ?? ""));
    const operationId = context?.openapi?.schema?.operationId;
    const accepted = context && acceptedAt(dialectOf(context.path), operationId, union.path ?? "");
    return problem("invalid_value", fieldOf(union.path), `does not fit this field; expected ${accepted ?? "one of the forms the schema allows"}`);
  }
  const first = errors[0];
  return problem("invalid_value", fieldOf(first?.path), first?.message ? plainMessage(first.message) : "invalid request");
}

const validatorCodes: Partial<Record<number, ErrorCode>> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * Database connection failures become 503 (retry later), never 500: refused, reset or timed-out
 * connections, a server shutting down or restarting (57P01-57P03), connection exceptions (08xxx),
 * and TypeORM's own reports of a connection lost mid-transaction (it releases the query runner).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message, name } = error as { code?: string; message?: string; name?: string };
  if (name && /^(QueryRunner(Provider)?AlreadyReleased|ConnectionIsNotSet)Error$/.test(name)) return true;
  if (code && ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08006"].includes(code)) {
    return true;
  }
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|DataSource is not initialized|Connection is not established/i.test(
    message ?? "",
  );
}

/**
 * Any error -> status, code and a message naming the offending field; unexpected errors say nothing
 * about internals. `request` (the failing request) lets a union's message list what its schema accepts.
 */
export function toProblem(error: unknown, request?: RequestContext): Problem & { unexpected: boolean } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, unexpected: false };
  if (isDomainError(error)) {
    return { status: error.status, code: domainCodes[error.code], message: error.message, ...(error.field ? { field: error.field } : {}), unexpected: false };
  }
  if (isValidatorError(error) && error.status < 500) {
    if (error.status !== 400) {
      return { status: error.status, code: validatorCodes[error.status] ?? "bad_request", message: error.errors[0]?.message ?? error.message, unexpected: false };
    }
    return { ...describeSchemaErrors(error.errors, request), unexpected: false };
  }
  const parserProblem = typeof error === "object" && error !== null ? bodyParserProblem(error as { type?: string }) : undefined;
  if (parserProblem) return { ...parserProblem, unexpected: false };
  if (isDatabaseUnavailable(error)) return { status: 503, code: "service_unavailable", message: "the database is unavailable; retry later", unexpected: true };
  return { status: 500, code: "internal_error", message: "internal error", unexpected: true };
}
