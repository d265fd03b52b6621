/** Stable machine codes; the server maps them to each dialect's error body. */
export type DomainErrorCode =
  | "invalid_query"
  | "unknown_field"
  | "invalid_value"
  | "syntax_error"
  | "unauthorized"
  | "permission_denied"
  | "access_denied"
  | "not_via_api"
  | "contradictory_status"
  | "not_found"
  | "conflict";

export type DomainErrorStatus = 400 | 401 | 403 | 404 | 405 | 409;

/**
 * A rule of the domain was broken by the caller's input. `status` is only a
 * hint for the HTTP layer; `field` is the path of the offending input
 * (e.g. `query.status`, `data.isAnswered`, `limit`), when there is one.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly code: DomainErrorCode;
  readonly status: DomainErrorStatus;
  readonly field: string | undefined;

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { status?: DomainErrorStatus; field?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.status = options.status ?? 400;
    this.field = options.field;
  }
}

/** A 400 about one input field; the message is prefixed with the field path. */
export function invalid(
  field: string,
  detail: string,
  code: DomainErrorCode = "invalid_value",
): DomainError {
  return new DomainError(code, `${field}: ${detail}`, { status: 400, field });
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
