import { createServer, STATUS_CODES, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Express, RequestHandler } from "express";

/**
 * The HTTP server around the app. Requests that Node's HTTP parser rejects before the app sees them
 * (oversized headers, malformed request lines) still get a JSON error body where the protocol
 * allows one (SPEC §10); which dialect they were meant for is unknown, so the body has the
 * Status200 / internal form `{"error", "code"}`.
 */
export function createHttpServer(app: Express): Server {
  // The missing-Host check moves into the app (missingHost) so that it can answer JSON too.
  const server = createServer({ requireHostHeader: false }, app);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === "ECONNRESET") return socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const body = JSON.stringify({ error: clientErrorMessage(status), code: status === 431 ? "headers_too_large" : status === 408 ? "request_timeout" : "bad_request" });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

function clientErrorMessage(status: number): string {
  if (status === 431) return "the request headers are too large";
  if (status === 408) return "the request took too long to arrive";
  return "the HTTP request is malformed";
}

/** HTTP/1.1 requires a Host header: without one, a 400 with a JSON body. */
export function missingHost(): RequestHandler {
  return (req, res, next) => {
    if (req.httpVersion !== "1.1" || req.headers.host) return next();
    res.status(400).type("application/json").set("Connection", "close").send(JSON.stringify({ error: "the Host header is missing", code: "bad_request" }));
  };
}
