import type { ErrorRequestHandler } from "express";
import { exolveErrorBody } from "../exolve/errors.js";
import { internalErrorBody } from "../internal/errors.js";
import { status200ErrorBody } from "../status200/errors.js";
import { telecomxErrorBody } from "../telecomx/errors.js";
import { dialectOf, type Dialect } from "./dialects.js";
import { toProblem, type Problem } from "./errors.js";
import { requestLog } from "./logging.js";

/** Each dialect's error body, rendered by that dialect (typed against its generated error model). */
const errorBodies: { [D in Dialect]: (problem: Problem) => object } = {
  status200: status200ErrorBody,
  telecomx: telecomxErrorBody,
  exolve: exolveErrorBody,
  internal: internalErrorBody,
};

/**
 * The one error handler: every error becomes the dialect's error body with a 4xx/5xx status.
 * Outside every dialect (an unknown path) the body is `{error, code}`, the Status200 and internal form.
 * Unexpected errors are logged (with the request id) and answered without internals.
 */
export function errorHandler(): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(res.locals.cause ?? error, req);
    if (problem.unexpected) {
      requestLog(req)?.error({ err: error }, "request failed");
      res.err = error;
    }
    if (res.headersSent) return res.end();
    // The validator's 405 names the path's methods in `headers.Allow` (SPEC §10: every 405 carries Allow).
    const headers = (error as { headers?: Record<string, string> }).headers;
    if (problem.status === 405 && headers?.Allow && !res.getHeader("Allow")) res.setHeader("Allow", headers.Allow);
    const render = errorBodies[dialectOf(req.path) ?? "status200"];
    // send, not json: the response validator hooks res.json, and an error must never fail on its way out.
    res.status(problem.status).type("application/json").send(JSON.stringify(render(problem)));
  };
}
