/** The four API dialects, told apart by the path prefix of the request. */
export type Dialect = "status200" | "telecomx" | "exolve" | "internal";

export const dialectPrefixes: Record<Dialect, RegExp> = {
  status200: /^\/api(\/|$)/,
  telecomx: /^\/sms(\/|$)/,
  exolve: /^\/messaging(\/|$)/,
  internal: /^\/internal(\/|$)/,
};

export function dialectOf(path: string): Dialect | undefined {
  return (Object.keys(dialectPrefixes) as Dialect[]).find((dialect) => dialectPrefixes[dialect].test(path));
}

/** An error on its way out: the HTTP status, a stable code, a message that names the offending field. */
export interface Problem {
  status: number;
  code: string;
  message: string;
}

const telecomxCodes: Record<number, string> = { 401: "unauthorized", 403: "access_denied", 404: "bad_request", 405: "method_not_allowed" };

/** Exolve messages begin with the documented phrase (seed 003), optionally followed by `: detail`. */
function exolveMessage(problem: Problem): string {
  switch (problem.status) {
    case 400: {
      const phrase = problem.code === "unknown_field" ? "unknown field" : problem.code === "syntax_error" ? "syntax error" : "invalid value";
      return problem.message.startsWith(phrase) ? problem.message : `${phrase}: ${problem.message}`;
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

/** The error body of each dialect (SPEC §4, §9). */
export function errorBody(dialect: Dialect | undefined, problem: Problem): object {
  switch (dialect) {
    case "telecomx":
      return {
        error: problem.status >= 500 ? "internal_error" : (telecomxCodes[problem.status] ?? "bad_request"),
        message: problem.message,
      };
    case "exolve":
      return { code: problem.status, message: exolveMessage(problem) };
    default:
      return { error: problem.message, code: problem.code };
  }
}
