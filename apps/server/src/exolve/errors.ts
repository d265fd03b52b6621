import type { Exolve } from "@commlog/contracts";
import { exolveUnknownField } from "@commlog/domain";
import type { Problem } from "../http/errors.js";

/** Exolve messages begin with the documented phrase (seed 003), optionally followed by `: detail`. */
function exolveMessage(problem: Problem): string {
  switch (problem.status) {
    case 400: {
      const phrase = problem.code === "unknown_field" ? "unknown field" : problem.code === "syntax_error" ? "syntax error" : "invalid value";
      if (problem.message.startsWith(phrase)) return problem.message;
      // The validator's "numbr: unknown field" reads as the domain's: the phrase, the field, the fields there are.
      if (problem.code === "unknown_field" && problem.field) return exolveUnknownField(problem.field);
      return `${phrase}: ${problem.message}`;
    }
    case 401:
      return "authorization token is invalid";
    case 404:
      return "page not found";
    case 413:
      return "request body too large";
    case 415:
      return "unsupported media type";
    case 503:
      return "service unavailable";
    default:
      return problem.status >= 500 ? "internal error" : problem.message;
  }
}

/** The Exolve error body (SPEC §9 "Exolve"): the status repeated in `code`, and the documented phrase. */
export function exolveErrorBody(problem: Problem): Exolve.ExolveError {
  return { code: problem.status, message: exolveMessage(problem) };
}
