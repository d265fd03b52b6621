import type { ErrorRequestHandler } from "express";
import { dialectOf, errorBody } from "./dialects.js";
import { toProblem } from "./errors.js";

/**
 * The one error handler: every error becomes the dialect's error body with a 4xx/5xx status.
 * Unexpected errors are logged (with the request id) and answered without internals.
 */
export function errorHandler(): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(res.locals.cause ?? error);
    if (problem.unexpected) {
      req.log?.error({ err: error }, "request failed");
      res.err = error;
    }
    if (res.headersSent) return res.end();
    // The validator's 405 names the path's methods in `headers.Allow` (SPEC §10: every 405 carries Allow).
    const headers = (error as { headers?: Record<string, string> }).headers;
    if (problem.status === 405 && headers?.Allow && !res.getHeader("Allow")) res.setHeader("Allow", headers.Allow);
    // send, not json: the response validator hooks res.json, and an error must never fail on its way out.
    res.status(problem.status).type("application/json").send(JSON.stringify(errorBody(dialectOf(req.path), problem)));
  };
}
