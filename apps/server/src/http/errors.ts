import { isDomainError } from "@commlog/domain";

/** An error the server raises itself, with the status and code it should be answered with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An error on its way out: the HTTP status, a stable code, a message that names the offending field. */
export interface Problem {
  status: number;
  code: string;
  message: string;
}

export const notFound = (message = "not found") => new HttpError(404, "not_found", message);

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
function bodyParserProblem(error: { type?: string; status?: number; code?: string }) {
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

/** `request/body/query/status` -> `query.status`; `request/query/limit` -> `limit`. */
function fieldOf(path: string | undefined): string {
  return (path ?? "")
    .replace(/^\.?\/?(request|response)?[./]?(body|query|params|headers)[./]?/, "")
    .replace(/[/.]+/g, ".")
    .replace(/^\./, "");
}

type SchemaError = ValidatorError["errors"][number];

/**
 * One clear message from the validator's (all) errors, naming the field:
 * - a property the sealed schema does not have (`unevaluatedProperties: {not: {}}` reports as
 *   `not`): "select.cost: unknown field";
 * - a value matching none of a union's forms (the query language): the specific problem inside an
 *   operator if there is one ("query.createdAt.value: must match format..."), else the operators
 *   this field accepts;
 * - otherwise the first error.
 */
function describeSchemaErrors(errors: SchemaError[]): { code: string; message: string } {
  const unknown = errors.find((e) => /^(not|additionalProperties|unevaluatedProperties)\b/.test(e.errorCode ?? "") || /Unknown query parameter/i.test(e.message ?? ""));
  if (unknown) {
    const field = fieldOf(unknown.path) || /'([^']+)'/.exec(unknown.message ?? "")?.[1] || "";
    return { code: "unknown_field", message: `${field}: unknown field` };
  }
  const union = errors.filter((e) => e.errorCode?.startsWith("anyOf")).sort((a, b) => (a.path ?? "").length - (b.path ?? "").length)[0];
  if (union) {
    // A plain value of the right type but a bad format (a date, a phone), or a bad value inside a fitting operator.
    const inside =
      errors.find((e) => e.path === union.path && !/^(x-eov-)?(type|anyOf|enum|required)\b/.test(e.errorCode ?? "")) ??
      errors.find((e) => e.path?.startsWith(`${union.path}/`) && !e.path.endsWith("/_type") && !/^(x-eov-)?(anyOf|required)\b/.test(e.errorCode ?? ""));
    if (inside) return { code: "invalid_value", message: `${fieldOf(inside.path)}: ${inside.message}` };
    const operators = [...new Set(errors.filter((e) => e.path === `${union.path}/_type`).map((e) => /allowed values: (.*)$/.exec(e.message ?? "")?.[1]).filter(Boolean))];
    const allowed = operators.length ? `a plain value, an array of values, or an operator: ${operators.join(", ")}` : "one of the forms the schema allows";
    return { code: "invalid_value", message: `${fieldOf(union.path)}: does not fit this field; expected ${allowed}` };
  }
  const first = errors[0];
  const field = fieldOf(first?.path);
  return { code: "invalid_value", message: field ? `${field}: ${first?.message}` : (first?.message ?? "invalid request") };
}

const validatorCodes: Record<number, string> = {
  400: "invalid_request",
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

/** Any error -> status, code and a message naming the offending field; unexpected errors say nothing about internals. */
export function toProblem(error: unknown): Problem & { unexpected: boolean } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, unexpected: false };
  if (isDomainError(error)) return { status: error.status, code: error.code, message: error.message, unexpected: false };
  if (isValidatorError(error) && error.status < 500) {
    if (error.status !== 400) {
      return { status: error.status, code: validatorCodes[error.status] ?? "invalid_request", message: error.errors[0]?.message ?? error.message, unexpected: false };
    }
    return { status: 400, ...describeSchemaErrors(error.errors), unexpected: false };
  }
  const parserProblem = typeof error === "object" && error !== null ? bodyParserProblem(error as { type?: string }) : undefined;
  if (parserProblem) return { ...parserProblem, unexpected: false };
  if (isDatabaseUnavailable(error)) return { status: 503, code: "service_unavailable", message: "the database is unavailable; retry later", unexpected: true };
  return { status: 500, code: "internal_error", message: "internal error", unexpected: true };
}
