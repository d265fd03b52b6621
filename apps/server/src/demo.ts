import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createInternalClient, createStatus200Client, type Internal } from "@commlog/contracts";
import { pino } from "pino";
import { createApp } from "./app.js";
import { resolveAdminToken } from "./auth/admin-token.js";
import { loadConfig } from "./config.js";
import { createDataSource, migrate } from "./db/data-source.js";
import { prng } from "./seeded-random.js";

/**
 * `npm run demo`: fills the configured database (by default the embedded SQLite file that
 * `npm start` serves) with a realistic tenant tree, through the public APIs themselves, and prints
 * ready-to-paste curl commands for every dialect.
 */
const SMS_PER_CUSTOMER = 1500;
const CALLS_PER_CUSTOMER = 40;

/** Picks by weight: `[[weight, value], …]`. */
function weighted<T>(next: () => number, table: ReadonlyArray<readonly [number, T]>): T {
  let r = next() * table.reduce((sum, [w]) => sum + w, 0);
  for (const [w, value] of table) if ((r -= w) < 0) return value;
  return table[table.length - 1]![1];
}

type Outcome = Pick<Internal.SmsIngest, "deliveryStatus" | "billingStatus" | "status" | "prohibited" | "errorCode">;

/**
 * What happened to a message, as traffic looks: mostly delivered and billed, some still queued or
 * at the SMS centre, failures with an error code, unfunded and blocked sends, refunds, and the
 * upstream status words a Status200 client may record itself (Success, Undelivered, Error). Every
 * status of every dialect occurs.
 */
const OUTCOMES: ReadonlyArray<readonly [number, Outcome]> = [
  [52, { deliveryStatus: "delivered", billingStatus: "billed" }],
  [8, { deliveryStatus: "delivered", billingStatus: "prebilled" }],
  [3, { deliveryStatus: "delivered", billingStatus: "authorized", status: "Success" }],
  [9, { deliveryStatus: "transmitted", billingStatus: "authorized" }],
  [5, { deliveryStatus: "queued", billingStatus: "prebilled" }],
  [6, { deliveryStatus: "failed", billingStatus: "refunded", errorCode: "EC_ABSENT_SUBSCRIBER" }],
  [3, { deliveryStatus: "failed", billingStatus: "refunding", status: "Undelivered", errorCode: "EC_UNKNOWN_SUBSCRIBER" }],
  [2, { deliveryStatus: "failed", billingStatus: "failed", status: "Error", errorCode: "EC_SYSTEM_FAILURE" }],
  [4, { billingStatus: "underfunded" }],
  [2, { deliveryStatus: "failed", billingStatus: "prebilled", prohibited: true, errorCode: "EC_BARRED" }],
];

/** The customers: each its own price, senders and months of traffic. */
const CUSTOMERS = [
  { name: "Acme Alerts", months: 4, price: 0.06, senders: ["Acme", "Alerts", null], mmsShare: 0.03 },
  { name: "Harbour Clinic", months: 3, price: 0.045, senders: ["Harbour", "Reminders"], mmsShare: 0.08 },
  { name: "Blue Fjord Logistics", months: 2, price: 0.08, senders: ["BlueFjord", null], mmsShare: 0 },
] as const;
const MONTHS = Math.max(...CUSTOMERS.map((c) => c.months));

/** One customer's traffic, newest last, spread over its months with busier working hours. */
function demoMessages(projectId: string, c: number, profile: (typeof CUSTOMERS)[number], stamp: string, now: number): Internal.SmsIngest[] {
  const next = prng(c + 1);
  const span = profile.months * 30 * 86_400_000;
  return Array.from({ length: SMS_PER_CUSTOMER }, (_, i) => {
    const createdAt = new Date(now - span + Math.floor(next() * span));
    const outcome = weighted(next, OUTCOMES);
    const incoming = next() < 0.12;
    const mms = next() < profile.mmsShare;
    const sent = outcome.deliveryStatus !== undefined && outcome.deliveryStatus !== "queued" && !outcome.prohibited;
    const segments = 1 + Math.floor(next() * 3);
    const price = +(profile.price * segments).toFixed(6);
    return {
      projectId,
      direction: incoming ? "incoming" : "outgoing",
      type: mms ? "MMS" : "SMS",
      toNumber: incoming ? "+4570101010" : `+45 ${20 + Math.floor(next() * 70)} ${String(Math.floor(next() * 100)).padStart(2, "0")} ${String(Math.floor(next() * 100)).padStart(2, "0")} ${String(c * 10 + (i % 10)).padStart(2, "0")}`,
      fromNumber: incoming ? `+45 ${30 + Math.floor(next() * 60)} ${String(i % 100).padStart(2, "0")} 11 22` : "+4570101010",
      senderName: incoming ? null : (profile.senders[i % profile.senders.length] ?? null),
      smsText: mms ? Buffer.from(`image/jpeg;demo-${i}`).toString("base64") : `Alert #${i}: disk usage on host-${i % 17} is above ${70 + (i % 30)}%`,
      ...outcome,
      smsCostInUSDCents: Math.round(price * 100),
      cost: +(price * 0.5).toFixed(6),
      wholeSale: +(price * 0.7).toFixed(6),
      price,
      createdAt: createdAt.toISOString(),
      sentAt: sent ? new Date(createdAt.getTime() + 1500).toISOString() : null,
      invoicedAt: sent && outcome.billingStatus === "billed" ? new Date(createdAt.getTime() + 86_400_000).toISOString() : null,
      providerExternalId: `demo-${stamp}-${c}-${i}`,
      fromName: incoming ? null : `${profile.name} monitoring`,
      toName: incoming ? null : `On-call engineer ${i % 9}`,
      ...(i % 5 === 0 ? { alertId: "d4e5f6a7-89ab-43de-a456-456789abcdef" } : {}),
    };
  });
}

async function main() {
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl, { sqlitePath: path.join(config.dataDir, "commlog.sqlite") });
  await dataSource.initialize();
  await migrate(dataSource);
  const admin = resolveAdminToken({ configured: config.adminToken, embedded: !config.databaseUrl, dataDir: config.dataDir });
  if (!admin.token) throw new Error("set COMMLOG_ADMIN_TOKEN to fill a PostgreSQL database");

  const server = createServer(createApp({ dataSource, logger: pino({ level: "warn" }), adminToken: admin.token, validateResponses: false }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const internal = createInternalClient({ baseUrl, adminToken: admin.token });
  const must = <T>(result: { data?: T; error?: unknown }): T => {
    if (result.data === undefined) throw new Error(`demo request failed: ${JSON.stringify(result.error)}`);
    return result.data;
  };

  const stamp = new Date().toISOString().slice(0, 16);
  const reseller = must(await internal.POST("/internal/v1/resellers", { body: { name: `Nordic Telecom Reseller (${stamp})` } }));
  const customers = [];
  for (const { name } of CUSTOMERS) {
    customers.push(must(await internal.POST("/internal/v1/projects", { body: { name, resellerId: reseller._id } })));
  }
  const key = async (body: Internal.ApiKeyCreate) => must(await internal.POST("/internal/v1/api-keys", { body })).key;
  const acme = customers[0]!;
  const keys = {
    owner: await key({ name: "acme owner", projectId: acme._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" }),
    member: await key({ name: "acme member", projectId: acme._id, permissions: ["ProjectMember"], accessLevel: "MANAGER" }),
    viewer: await key({ name: "acme viewer", projectId: acme._id, permissions: ["ReadSmsLog"], accessLevel: "VIEWER" }),
    reseller: await key({ name: "reseller", resellerId: reseller._id }),
    admin: await key({ name: "platform admin", platform: true }),
  };

  const now = Date.now();
  // The reseller's own project sends like its first customer.
  for (const [c, projectId] of [...customers.map((customer) => customer._id), reseller.projectId].entries()) {
    const messages = demoMessages(projectId, c, CUSTOMERS[c % CUSTOMERS.length]!, stamp, now);
    for (let i = 0; i < messages.length; i += 1000) {
      must(await internal.POST("/internal/v1/sms", { body: { messages: messages.slice(i, i + 1000) } }));
    }
  }

  const status200 = createStatus200Client({ baseUrl, apiKey: keys.owner });
  for (let i = 0; i < CALLS_PER_CUSTOMER; i++) {
    const startedAt = new Date(now - i * 3 * 24 * 3600 * 1000);
    const call = must(
      await internal.POST("/internal/v1/incoming-call-logs", {
        body: { projectId: acme._id, callerPhoneNumber: `+4531${String(100000 + i * 7919).slice(0, 6)}`, routingPhoneNumber: "+4570101010", status: "Completed", startedAt: startedAt.toISOString(), callDurationInSeconds: 30 + i },
      }),
    );
    for (const [attempt, answered] of [false, i % 2 === 0].entries()) {
      must(
        await status200.POST("/api/incoming-call-log-item", {
          body: { data: { incomingCallLogId: call._id, status: answered ? "Connected" : "NoAnswer", isAnswered: answered, userPhoneNumber: `+45 40 00 00 ${String(attempt + 10)}`, dialDurationInSeconds: 10 + attempt, callCostInUSDCents: 2 } },
        }),
      );
    }
  }
  server.close();
  await dataSource.destroy();

  const url = `http://${config.host}:${config.port}`;
  const month = new Date().toISOString().slice(0, 7);
  process.stdout.write(`Demo data written: a reseller with ${customers.length} customers and its own project, ${(customers.length + 1) * SMS_PER_CUSTOMER} SMS over ${MONTHS} months, ${CALLS_PER_CUSTOMER} calls with items.
Start the server (npm start), then try:

# Status200: the seed 000 request (SMS Log list), as Acme's owner
curl -s -X POST '${url}/api/sms-log/get-list?skip=0&limit=10' -H 'Content-Type: application/json' -H 'ApiKey: ${keys.owner}' \\
  -d '{"select":{"projectId":true,"smsCostInUSDCents":true,"status":true,"toNumber":true,"alert":true},"query":{"status":"Delivered"},"sort":{"createdAt":-1}}'
curl -s -X POST '${url}/api/incoming-call-log-item/count' -H 'Content-Type: application/json' -H 'ApiKey: ${keys.member}' -d '{"query":{"isAnswered":true}}'

# TelecomX: the VIEWER sees no message text; the reseller sees all its customers; the admin sees prices
curl -s '${url}/sms?limit=3' -H 'Authorization: Bearer ${keys.viewer}'
curl -s '${url}/sms?limit=3&fromDate=${month}&toDate=${month}&sort=SENT&names=true' -H 'Authorization: Bearer ${keys.reseller}'
curl -s '${url}/sms?limit=3&customer=${acme._id}' -H 'Authorization: Bearer ${keys.admin}'

# Exolve: delivered outgoing SMS of the last 30 days
curl -s -X POST '${url}/messaging/v1/GetCount' -H 'Content-Type: application/json' -H 'Authorization: Bearer ${keys.owner}' \\
  -d '{"direction":"DIRECTION_OUTGOING","status":"STATUS_DELIVERED","date_gte":"${new Date(now - 30 * 86_400_000).toISOString()}"}'

# Internal: the keys of Acme (the admin token is in ${admin.file ?? "COMMLOG_ADMIN_TOKEN"})
curl -s '${url}/internal/v1/api-keys?projectId=${acme._id}' -H "Authorization: Bearer ${admin.file ? `$(cat ${admin.file})` : "$COMMLOG_ADMIN_TOKEN"}"
`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
