// A type-level test, checked by `tsc --noEmit` in `npm test` and never run: the typed clients can
// express every operation of every dialect, the named aliases match what the clients return, and
// an inline call with a misspelled or unknown field, or a GET with a body, does not compile.
import {
  createExolveClient,
  createInternalClient,
  createStatus200Client,
  createTelecomXClient,
  type Exolve,
  type IncomingCallLogItem,
  type Internal,
  type SmsLog,
  type Status200,
  type TelecomX,
} from "../src/index.js";
// @ts-expect-error the root entry is browser-safe: the Node-only loader lives in ./documents
import type { loadOpenApiDocument } from "../src/index.js";
import type { loadOpenApiDocument as fromDocuments } from "../src/documents.js";

export type Loader = typeof loadOpenApiDocument | typeof fromDocuments;

const id = "550e8400-e29b-41d4-a716-446655440000";

export async function everyOperation(baseUrl: string) {
  const status200 = createStatus200Client({ baseUrl, apiKey: "key" });
  const select = { projectId: true, status: true, toNumber: true, alert: true } satisfies Status200.SmsLogSelect;
  const list = await status200.POST("/api/sms-log/get-list", {
    params: { query: { skip: 0, limit: 10 } },
    body: { select, query: { status: "Delivered", toNumber: { _type: "Search", value: "4581" } }, sort: { createdAt: -1 } },
  });
  const rows: SmsLog[] | undefined = list.data?.data;
  const total: number | undefined = list.data?.count;
  await status200.GET("/api/sms-log/get-list", { params: { query: { limit: 5 } } });
  await status200.POST("/api/sms-log/{id}/get-item", { params: { path: { id } }, body: { select } });
  await status200.GET("/api/sms-log/{id}/get-item", { params: { path: { id } } });
  await status200.POST("/api/sms-log/count", { body: { query: { createdAt: { _type: "InBetween", startValue: "2026-01-01T00:00:00Z", endValue: "2026-02-01T00:00:00Z" } } } });
  await status200.POST("/api/incoming-call-log/get-list", { body: { query: { callerPhoneNumber: "+4581808888" } } });
  await status200.POST("/api/incoming-call-log/{id}/get-item", { params: { path: { id } } });
  await status200.POST("/api/incoming-call-log/count", {});
  const created = await status200.POST("/api/incoming-call-log-item", {
    body: { data: { incomingCallLogId: id, status: "Ringing", isAnswered: false, startedAt: { _type: "DateTime", value: "2026-01-01T00:00:00Z" } } },
  });
  const item: IncomingCallLogItem | undefined = created.data;
  await status200.POST("/api/incoming-call-log-item/get-list", { body: { query: { isAnswered: true } } });
  await status200.POST("/api/incoming-call-log-item/{id}/get-item", { params: { path: { id } } });
  // SPEC §10: the upstream client's create without isAnswered, a relation selected in the object
  // form, and an id filtered by a text operator.
  await status200.POST("/api/incoming-call-log-item", { body: { data: { incomingCallLogId: id, status: "Ringing" }, miscDataProps: {} } });
  const dashboard = await status200.POST("/api/incoming-call-log-item/get-list", {
    body: { select: { incomingCallLog: { _id: true, status: true }, user: true }, query: { _id: { _type: "StartsWith", value: "550e" } }, groupBy: {} },
  });
  const related: string | { _id: string } | undefined = dashboard.data?.data[0]?.incomingCallLog;
  await status200.POST("/api/incoming-call-log-item/count", { body: { query: { dialDurationInSeconds: { _type: "GreaterThan", value: 10 } } } });
  await status200.PUT("/api/incoming-call-log-item/{id}", { params: { path: { id } }, body: { data: { isAnswered: true } } });
  await status200.POST("/api/incoming-call-log-item/{id}/update-item", { params: { path: { id } }, body: { data: { status: "Connected" } } });
  await status200.DELETE("/api/incoming-call-log-item/{id}", { params: { path: { id } } });
  await status200.POST("/api/incoming-call-log-item/{id}/delete-item", { params: { path: { id } } });
  await status200.GET("/api/incoming-call-log-item/{id}/delete-item", { params: { path: { id } } });
  // Writes on read-only resources exist in the contract (they answer 405).
  await status200.POST("/api/sms-log", {});
  await status200.DELETE("/api/sms-log/{id}", { params: { path: { id } } });

  const telecomx = createTelecomXClient({ baseUrl, apiKey: "key" });
  const sms = await telecomx.GET("/sms", { params: { query: { customer: "c", to: "+4581808888", fromDate: "2026-01", sort: "SENT", names: true } } });
  const messages: TelecomX.Message[] | undefined = sms.data?.messages;

  const exolve = createExolveClient({ baseUrl, apiKey: "key" });
  const counted = await exolve.POST("/messaging/v1/GetCount", { body: { direction: "DIRECTION_OUTGOING", limit: "10", date_gte: "2026-01-01T00:00:00Z" } });
  const count: Exolve.GetCountResponse["count"] | undefined = counted.data?.count;

  const internal = createInternalClient({ baseUrl, adminToken: "token" });
  const reseller = await internal.POST("/internal/v1/resellers", { body: { name: "r" } });
  const project = await internal.POST("/internal/v1/projects", { body: { name: "p", resellerId: reseller.data?._id } });
  const key = await internal.POST("/internal/v1/api-keys", { body: { name: "k", projectId: id, permissions: ["ReadSmsLog"], accessLevel: "OWNER" } });
  const secret: string | undefined = key.data?.key;
  await internal.GET("/internal/v1/api-keys", { params: { query: { projectId: id } } });
  await internal.DELETE("/internal/v1/api-keys/{id}", { params: { path: { id } } });
  const ingested = await internal.POST("/internal/v1/sms", { body: { messages: [{ projectId: id, toNumber: "+4581808888", status: "Delivered" }] } });
  const results: Internal.SmsIngestResult[] | undefined = ingested.data?.data;
  await internal.POST("/internal/v1/sms/status", { body: { _id: id, deliveryStatus: "delivered" } });
  await internal.POST("/internal/v1/incoming-call-logs", { body: { projectId: id, callerPhoneNumber: "+4581808888" } });
  await internal.POST("/internal/v1/incoming-call-logs/{id}/update", { params: { path: { id } }, body: { status: "Completed" } });
  await internal.DELETE("/internal/v1/projects/{id}", { params: { path: { id: project.data?._id ?? id } } });

  return { rows, total, item, related, messages, count, secret, results };
}

// @ts-expect-error a relation's object select takes only `true` sub-fields
export const badRelationSelect: Status200.SmsLogSelect = { alert: { _id: false } };
// @ts-expect-error an unknown select field is a type error
export const badSelect: Status200.SmsLogSelect = { price: true };
// @ts-expect-error an ordered operator does not fit a text field
export const badQuery: Status200.SmsLogQuery = { status: { _type: "GreaterThan", value: "x" } };

// Inline calls: every mistake below is a compile error of the call itself (not only through an alias).
export async function refusedMistakes(baseUrl: string) {
  const status200 = createStatus200Client({ baseUrl, apiKey: "key" });
  // @ts-expect-error a misspelled select field
  await status200.POST("/api/sms-log/get-list", { body: { select: { toNumbr: true } } });
  // @ts-expect-error a field SMS Log does not have
  await status200.POST("/api/sms-log/get-list", { body: { select: { price: true } } });
  // @ts-expect-error a misspelled query field
  await status200.POST("/api/sms-log/get-list", { body: { query: { stauts: "Delivered" } } });
  // @ts-expect-error a misspelled sort field
  await status200.POST("/api/sms-log/get-list", { body: { sort: { createdAtt: -1 } } });
  // @ts-expect-error an unknown top-level body field
  await status200.POST("/api/sms-log/get-list", { body: { selectt: { status: true } } });
  // @ts-expect-error an unknown query parameter
  await status200.POST("/api/sms-log/get-list", { params: { query: { skipp: 0 } } });
  // @ts-expect-error an update cannot move an item to another call
  await status200.PUT("/api/incoming-call-log-item/{id}", { params: { path: { id } }, body: { data: { incomingCallLogId: id } } });
  await status200.POST("/api/incoming-call-log-item/{id}/update-item", {
    params: { path: { id } },
    // @ts-expect-error an unknown update field
    body: { data: { isAnswerd: true } },
  });
  // @ts-expect-error a misspelled create field
  await status200.POST("/api/incoming-call-log-item", { body: { data: { incomingCallLogId: id, status: "Ringing", isAnswerd: true } } });

  const body = { query: { status: "Delivered" } } satisfies Status200.SmsLogListRequest;
  // @ts-expect-error fetch cannot send a body by GET: the GET twins take no body
  await status200.GET("/api/sms-log/get-list", { body });
  // @ts-expect-error a GET twin that requires a body is not offered (use POST …/update-item)
  await status200.GET("/api/incoming-call-log-item/{id}/update-item", { params: { path: { id } }, body: { data: { status: "Connected" } } });
  // @ts-expect-error nor by the request-less form
  await status200.GET("/api/incoming-call-log-item/{id}/update-item", { params: { path: { id } } });

  const exolve = createExolveClient({ baseUrl, apiKey: "key" });
  // @ts-expect-error a misspelled Exolve filter
  await exolve.POST("/messaging/v1/GetCount", { body: { directon: "DIRECTION_OUTGOING" } });
  const telecomx = createTelecomXClient({ baseUrl, apiKey: "key" });
  // @ts-expect-error an unknown TelecomX parameter
  await telecomx.GET("/sms", { params: { query: { too: "+4581808888" } } });
  const internal = createInternalClient({ baseUrl, adminToken: "token" });
  // @ts-expect-error a misspelled field of an ingested message
  await internal.POST("/internal/v1/sms", { body: { messages: [{ projectId: id, toNumber: "+4581808888", status: "Delivered", prise: 1 }] } });
}
