import type { Internal } from "@commlog/contracts";
import type { Problem } from "../http/errors.js";

/** The internal API's error body (SPEC §7): the message, naming the field, and the stable code. */
export function internalErrorBody(problem: Problem): Internal.InternalApiError {
  return { error: problem.message, code: problem.code };
}
