import type { TelecomX } from "@commlog/contracts";
import type { Problem } from "../http/errors.js";

/** The machine code of each status; every other 4xx is `bad_request` (404 too: seed 002's "Customer not found"). */
const codes: Partial<Record<number, TelecomX.TelecomXErrorCode>> = {
  401: "unauthorized",
  403: "access_denied",
  404: "bad_request",
  405: "method_not_allowed",
};

/** The TelecomX error body (SPEC §9 "TelecomX"): `{"error": "<code>", "message": "<text>"}`. */
export function telecomxErrorBody(problem: Problem): TelecomX.TelecomXError {
  return {
    error: problem.status >= 500 ? "internal_error" : (codes[problem.status] ?? "bad_request"),
    message: problem.message,
  };
}
