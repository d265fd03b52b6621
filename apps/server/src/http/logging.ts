import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { pino, type Logger } from "pino";

export type { Logger };

declare module "node:http" {
  interface IncomingMessage {
    /** The request id (http/logging.ts). */
    id: string;
  }
  interface ServerResponse {
    /** An unexpected error the response answered: its request is logged at level error with it. */
    err?: Error;
  }
}

/**
 * JSON lines on stdout, written asynchronously in batches of ~4 KB, and at least every second: a
 * write per request line cost ~5 % of a cheap read's CPU. pino flushes what is left synchronously
 * when the process exits, so only a hard kill (SIGKILL, the OOM killer) can lose the last second.
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // Closed at shutdown: nothing left to flush.
    }
  }, 1000).unref();
  return pino({ level, base: { service: "commlog" } }, destination);
}

/** Per request requestLogging() saw, the maker of its logger (made only when asked for). */
const requestLoggers = new WeakMap<IncomingMessage, () => Logger>();

/** The server's logger bound to the request's id; undefined for a request requestLogging() did not see. */
export const requestLog = (req: IncomingMessage): Logger | undefined => requestLoggers.get(req)?.();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One JSON line per request with a request id (a well-formed incoming `X-Request-Id` is kept, else
 * one is made; either way it is echoed). Only method, path (never the query string: TelecomX
 * filters are caller data), status and timing are logged: never headers, keys, tokens or bodies.
 *
 * The line is pino-http's ("request completed", or "request errored" with `err` at level error),
 * written by hand: pino-http built two child loggers per request, serializing the request into
 * each, even when the level logs nothing. Here `requestLog(req)` (a child with the id) is made only when
 * something asks for it, and the line is built only when its level is enabled.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    let bound: Logger | undefined;
    requestLoggers.set(req, () => (bound ??= logger.child({ req: { id, method: req.method, path: req.originalUrl.split("?")[0] } })));
    res.once("close", () => {
      const level = res.err || res.statusCode >= 500 ? "error" : "info";
      if (!logger.isLevelEnabled(level)) return;
      const entry = {
        req: { id, method: req.method, path: req.originalUrl.split("?")[0] },
        res: { statusCode: res.statusCode },
        ...(level === "error" ? { err: errorFields(res.err ?? new Error(`failed with status code ${res.statusCode}`)) } : {}),
        responseTime: Date.now() - started,
      };
      logger[level](entry, level === "error" ? "request errored" : "request completed");
    });
    next();
  };
}

const errorFields = (err: Error) => ({ type: err.name, message: err.message, stack: err.stack });
