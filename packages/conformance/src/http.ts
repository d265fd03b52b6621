import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";

/** A request as scenarios write it: plain data. `body` is JSON-encoded unless `rawBody` is given. */
export interface HttpRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Sent as is (malformed JSON, `__proto__` keys, huge payloads). */
  rawBody?: string;
  /**
   * Compresses the payload with this coding and sends `Content-Encoding` for it (a valid encoded
   * body). A bogus coding is written as a plain `Content-Encoding` header instead.
   */
  encoding?: "gzip" | "deflate" | "br";
}

const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  isJson: boolean;
}

/** The URL path plus query string of a request. */
export function target(req: HttpRequest): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.append(k, String(v));
  const qs = params.toString();
  return qs ? `${req.path}${req.path.includes("?") ? "&" : "?"}${qs}` : req.path;
}

/**
 * Sends one request with node:http (not fetch: scenarios need GET bodies, duplicated and garbled
 * headers, and raw bodies).
 */
export function send(baseUrl: string, req: HttpRequest, timeoutMs = 15_000): Promise<HttpResponse> {
  const base = new URL(baseUrl);
  const url = new URL(base.pathname.replace(/\/$/, "") + target(req), base);
  const plain =
    req.rawBody !== undefined ? Buffer.from(req.rawBody) : req.body !== undefined ? Buffer.from(JSON.stringify(req.body)) : undefined;
  const payload = plain && req.encoding ? encoders[req.encoding](plain) : plain;
  const headers: Record<string, string | string[]> = { ...(req.headers ?? {}) };
  if (payload && req.encoding) headers["Content-Encoding"] = req.encoding;
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (payload) {
    if (!has("content-type")) headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(payload.length);
  }
  const doRequest = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = doRequest(url, { method: req.method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        let isJson = false;
        if (/json/i.test(String(res.headers["content-type"] ?? "")) && text.length) {
          try {
            json = JSON.parse(text);
            isJson = true;
          } catch {
            /* not JSON: reported by the validator */
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, isJson });
      });
      res.on("error", reject);
    });
    r.on("timeout", () => r.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    r.on("error", reject);
    if (payload) r.write(payload);
    r.end();
  });
}

/**
 * Why a request could not be sent, in words: `connect ECONNREFUSED 127.0.0.1:9`. fetch hides the
 * reason in `cause` ("fetch failed"); a host with several addresses fails with an AggregateError
 * whose message is empty.
 */
export function connectionFailure(error: unknown): string {
  let reason: unknown = error;
  while (reason instanceof Error && reason.cause !== undefined && (reason.message === "fetch failed" || !reason.message)) reason = reason.cause;
  if (reason instanceof AggregateError && reason.errors.length) return [...new Set(reason.errors.map(connectionFailure))].join("; ");
  if (reason instanceof Error) return reason.message || (reason as NodeJS.ErrnoException).code || reason.name;
  return String(reason);
}

/** Undefined when `baseUrl` answers HTTP at all (any status); otherwise why it cannot be reached. */
export async function unreachable(baseUrl: string, timeoutMs = 10_000): Promise<string | undefined> {
  try {
    await send(baseUrl, { method: "GET", path: "/healthz" }, timeoutMs);
    return undefined;
  } catch (error) {
    return connectionFailure(error);
  }
}
