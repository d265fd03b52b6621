import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fault may change: the request on its way in, the response on its way out. */
export interface Fault {
  name: string;
  /** May change the request (and may hold it back: a returned promise is awaited before it is forwarded). */
  request?: (req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }) => void | Promise<void>;
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
    inReq.on("end", async () => {
      const req = { method: inReq.method!, url: inReq.url!, headers: { ...inReq.headers }, body: Buffer.concat(chunks) };
      await fault.request?.(req);
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
    // Every row still carries _id and passes the schema (its fields are optional): only the select check sees it.
    name: "a selected field dropped from Status200 list rows",
    mustFail: "seed examples › smsLogList: delivered SMS, newest first, the selected fields only",
    response: (ctx, res) => {
      if (!ctx.url.startsWith("/api/") || !ctx.url.includes("/get-list") || !Array.isArray(res.json?.data)) return;
      let select: Record<string, unknown> = {};
      try {
        select = JSON.parse(ctx.reqBody.toString() || "{}").select ?? {};
      } catch {
        return;
      }
      const dropped = Object.keys(select).filter((k) => k !== "_id" && select[k] !== false).at(-1);
      if (dropped) for (const row of res.json.data) delete row[dropped];
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

const bodyText = (req: { body: Buffer }) => req.body.toString("utf8");

/** Marks a request the fault answers 500, whatever the server made of it. */
const INJECT = "x-injected-fault";
const injected500 = (ctx: { headers: IncomingHttpHeaders }, res: { status: number; json: any }, json: unknown) => {
  if (ctx.headers[INJECT]) {
    res.status = 500;
    res.json = json;
  }
};

/**
 * Servers broken on SPEC §10's bad-input classes: each answers 500 where the correct server answers
 * 400 (or writes before answering 500, or ignores what it must refuse). The suite must name the
 * class's fuzz scenario for the operation; `dialect` limits the run to keep the test short.
 */
export const badInputFaults: Array<Fault & { dialect: string; mustFail: string; mustMatch: RegExp }> = [
  {
    name: "a U+0000 string answered 500 instead of 400 (Exolve)",
    dialect: "exolve",
    mustFail: "[exolve] fuzz: U+0000 › Messages_getCount (POST /messaging/v1/GetCount)",
    mustMatch: /U\+0000 in body \S+: POST \/messaging\/v1\/GetCount .*answered 500 \(expected 400\)/,
    response: (ctx, res) => {
      if (ctx.url.startsWith("/messaging") && ctx.reqBody.toString().includes("\\u0000") && res.status === 400) {
        res.status = 500;
        res.json = { code: 500, message: "injected fault: U+0000" };
      }
    },
  },
  {
    name: "an integer one beyond its maximum answered 500 instead of 400 (Status200 count)",
    dialect: "status200",
    mustFail: "[status200] fuzz: integer bounds › SmsLogs_count (POST /api/sms-log/count)",
    mustMatch: /one beyond its maximum: 2147483648: POST \/api\/sms-log\/count .*answered 500 \(expected 400\)/,
    response: (ctx, res) => {
      if (ctx.url.startsWith("/api/sms-log/count") && ctx.reqBody.toString().includes("2147483648") && res.status === 400) {
        res.status = 500;
        res.json = { code: "internal_error", error: "injected fault: integer out of range" };
      }
    },
  },
  {
    name: "a year-10000 timestamp written, then answered 500 (internal call create)",
    dialect: "internal",
    mustFail: "[internal] fuzz: timestamp range › IncomingCallLogs_create (POST /internal/v1/incoming-call-logs)",
    mustMatch: /10000-01-01T00:00:00\.000Z \(outside\).*a rejected request changed data/,
    // The broken server stores the instant it could parse (9999) and fails afterwards: the row is there, the answer 500.
    request: (req) => {
      const text = bodyText(req);
      if (req.method === "POST" && req.url === "/internal/v1/incoming-call-logs" && text.includes("10000-01-01T00:00:00.000Z")) {
        req.body = Buffer.from(text.replaceAll("10000-01-01T00:00:00.000Z", "9999-01-01T00:00:00.000Z"));
        req.headers[INJECT] = "1";
      }
    },
    response: (ctx, res) => injected500(ctx, res, { code: "internal_error", error: "injected fault: year 10000" }),
  },
  {
    name: "an undecodable gzip body answered 500 instead of 400 (Exolve)",
    dialect: "exolve",
    mustFail: "[exolve] fuzz: Content-Encoding › Messages_getCount (POST /messaging/v1/GetCount)",
    mustMatch: /Content-Encoding: gzip on a body that is not gzip: .*answered 500 \(expected 400\)/,
    response: (ctx, res) => {
      if (ctx.url.startsWith("/messaging") && ctx.headers["content-encoding"] && res.status === 400) {
        res.status = 500;
        res.json = { code: 500, message: "injected fault: bad gzip" };
      }
    },
  },
  {
    name: "an unknown Content-Encoding ignored instead of 415 (Exolve)",
    dialect: "exolve",
    mustFail: "[exolve] fuzz: Content-Encoding › Messages_getCount (POST /messaging/v1/GetCount)",
    mustMatch: /Content-Encoding: compress-x \(unknown\): .*answered 200 \(expected 415\)/,
    request: (req) => {
      const coding = String(req.headers["content-encoding"] ?? "");
      if (coding && !["gzip", "deflate", "br"].includes(coding)) delete req.headers["content-encoding"];
    },
  },
  (() => {
    // Two identical ingest batches in flight at once: the second fails (the unique index race of issue 9).
    const inFlight = new Set<string>();
    return {
      name: "a concurrent replay of an ingest batch answered 500",
      dialect: "internal",
      mustFail: "[internal] fuzz: concurrent replays › Sms_ingest (POST /internal/v1/sms)",
      mustMatch: /replay \d of 2 \(concurrent\) answered 500 \(expected 200\)/,
      request: async (req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }) => {
        if (req.method !== "POST" || req.url !== "/internal/v1/sms") return;
        const key = req.body.toString("base64");
        if (inFlight.has(key)) req.headers[INJECT] = "1";
        else {
          inFlight.add(key);
          // Held back a little, so the replay sent at the same time is in flight with it.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      response: (ctx: { url: string; headers: IncomingHttpHeaders; reqBody: Buffer }, res: { status: number; json: any }) => {
        if (ctx.url === "/internal/v1/sms" && !ctx.headers[INJECT]) inFlight.delete(ctx.reqBody.toString("base64"));
        injected500(ctx, res, { code: "internal_error", error: "injected fault: deadlock detected" });
      },
    };
  })(),
];
