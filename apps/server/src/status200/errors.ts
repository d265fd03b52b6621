import type { Status200 } from "@commlog/contracts";
import type { Problem } from "../http/errors.js";

/** The Status200 error body (SPEC §4): the message, naming the field, and the stable code. */
export function status200ErrorBody(problem: Problem): Status200.ErrorBody {
  return { error: problem.message, code: problem.code };
}
