import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fault may change: the request on its way in, the response on its way out. */
export interface Fault {
  name: string;
  request?: (req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }) => void;
  response?: (ctx: { method: string; url: string; headers: IncomingHttpHeaders; reqBody: Buffer }, res: { status: number; json: any }) => void;
}

/**
 * A deliberately broken variant of a server: an HTTP proxy in front of the real one that applies one
 * fault to the traffic. The conformance suite must report every fault as a failing scenario.
 */
export async function startFaultProxy(targetUrl: string, fault: Fault): Promise<{ url: string; stop: () => Promise<void> }> {
  const target = new URL(targetUrl);
  const server: Server = createServer((inReq, outRes) => {
    const chunks: Buffer[] = [];
    inReq.on("data", (c: Buffer) => chunks.push(c));
    inReq.on("end", () => {
      const req = { method: inReq.method!, url: inReq.url!, headers: { ...inReq.headers }, body: Buffer.concat(chunks) };
      fault.request?.(req);
      const headers = { ...req.headers, host: target.host };
      if (req.body.length || headers["content-length"]) headers["content-length"] = String(req.body.length);
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          let body = Buffer.concat(parts);
          let status = res.statusCode ?? 502;
          const resHeaders = { ...res.headers };
          if (fault.response && /json/.test(String(res.headers["content-type"] ?? "")) && body.length) {
            const out = { status, json: JSON.parse(body.toString()) };
            fault.response({ method: req.method, url: req.url, headers: req.headers, reqBody: req.body }, out);
            status = out.status;
            body = Buffer.from(JSON.stringify(out.json));
            delete resHeaders.etag;
            resHeaders["content-length"] = String(body.length);
          }
          outRes.writeHead(status, resHeaders);
          outRes.end(body);
        });
      });
      upstream.on("error", (e) => {
        outRes.writeHead(502);
        outRes.end(String(e));
      });
      upstream.end(req.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The broken variants, each with a scenario the suite must name as failed. */
export const faults: Array<Fault & { mustFail: string }> = [
  {
    name: "a field dropped from a response (Status200 list without limit)",
    mustFail: "sms-log get-list › POST get-list returns the page and the total",
    response: (ctx, res) => {
      if (ctx.url.startsWith("/api/") && ctx.url.includes("/get-list") && res.json && "data" in res.json) delete res.json.limit;
    },
  },
  {
    name: "a wrong status code (Status200 create answers 201)",
    mustFail: "seed examples › itemCreate: creates an item and returns every non-null field",
    response: (ctx, res) => {
      if (ctx.method === "POST" && ctx.url.split("?")[0] === "/api/incoming-call-log-item" && res.status === 200) res.status = 201;
    },
  },
  {
    name: "another tenant's row leaked into a TelecomX list",
    mustFail: "tenant isolation › a number shared with another tenant returns only own rows",
    response: (ctx, res) => {
      if (ctx.url.startsWith("/sms") && res.status === 200 && Array.isArray(res.json?.messages)) {
        res.json.messages.push({ _id: "leaked", customer: "00000000-0000-4000-8000-000000000000", type: "SMS", from: "+4570000000", to: ["+4581808888"], sent: null, price: 0.3 });
      }
    },
  },
  {
    name: "a bad date answered 500 instead of 400 (TelecomX)",
    mustFail: "invalid parameters › month 13 is 400 bad_request",
    response: (ctx, res) => {
      if (ctx.url.startsWith("/sms") && /Date=/.test(ctx.url) && res.status === 400) {
        res.status = 500;
        res.json = { error: "internal_error", message: "internal error" };
      }
    },
  },
  (() => {
    // Skips permission checks: every Status200 request runs with its project's owner key.
    const projectOf = new Map<string, string>();
    const ownerOf = new Map<string, string>();
    return {
      name: "a permission check skipped (Status200 requests run with the project's owner key)",
      mustFail: "permission matrix sms-log › ReadIncomingCallLog: POST get-list → 403",
      request: (req: { url: string; headers: IncomingHttpHeaders }) => {
        const key = req.headers.apikey;
        if (req.url.startsWith("/api/") && typeof key === "string") {
          const owner = ownerOf.get(projectOf.get(key) ?? "");
          if (owner) req.headers.apikey = owner;
        }
      },
      response: (ctx: { method: string; url: string }, res: { status: number; json: any }) => {
        if (ctx.method === "POST" && ctx.url === "/internal/v1/api-keys" && res.status === 200 && res.json?.projectId) {
          projectOf.set(res.json.key, res.json.projectId);
          if (res.json.permissions?.includes("ProjectOwner")) ownerOf.set(res.json.projectId, res.json.key);
        }
      },
    };
  })(),
];
