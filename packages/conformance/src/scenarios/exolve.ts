import seeds from "@commlog/contracts/seed-examples.json" with { type: "json" };
import { digits, exolveStatus, type Row } from "../dataset.js";
import type { World } from "../provisioning.js";
import type { Expect, Scenario } from "../scenario.js";
import { bearer } from "./common.js";

const directions = ["DIRECTION_UNSPECIFIED", "DIRECTION_INCOMING", "DIRECTION_OUTGOING"];
const deliveries = ["DELIVERY_STATUS_UNSPECIFIED", "DELIVERY_STATUS_QUEUED", "DELIVERY_STATUS_TRANSMITTED", "DELIVERY_STATUS_DELIVERED", "DELIVERY_STATUS_FAILED"];
const billings = ["BILLING_STATUS_UNSPECIFIED", "BILLING_STATUS_PREBILLED", "BILLING_STATUS_BILLED", "BILLING_STATUS_REFUNDING", "BILLING_STATUS_UNDERFUNDED", "BILLING_STATUS_REFUNDED", "BILLING_STATUS_FAILED", "BILLING_STATUS_AUTHORIZED"];
const statuses = ["STATUS_UNSPECIFIED", "STATUS_QUEUED", "STATUS_TRANSMITTED", "STATUS_DELIVERED", "STATUS_FAILED", "STATUS_UNDERFUNDED", "STATUS_PROHIBITED"];

export function exolveScenarios(w: World): Scenario[] {
  const out: Scenario[] = [];
  const path = "/messaging/v1/GetCount";
  const key = bearer(w.keys.a1ReadSms);
  const rows = w.rows;
  const add = (group: string, name: string, body: unknown, expect: Expect, headers: Record<string, string> = key) =>
    out.push({ dialect: "exolve", group, name, request: { method: "POST", path, headers, body }, expect });
  const count = (group: string, name: string, body: unknown, match: (r: Row) => boolean) => add(group, name, body, { status: 200, body: { count: String(rows.filter(match).length) } });
  const error = (status: number, phrase: string): Expect => ({ status, body: { code: status }, bodyIncludes: [`"message":"${phrase}`] });

  count("GetCount", "an empty body counts every SMS of the application, both directions", {}, () => true);
  add("GetCount", "an absent body counts everything", undefined, { status: 200, body: { count: String(rows.length) } });
  add("GetCount", "a missing Content-Type is JSON", undefined, { status: 200, body: { count: String(rows.length) } });
  out.push({ dialect: "exolve", group: "GetCount", name: "a missing Content-Type with a body is read as JSON", request: { method: "POST", path, headers: { ...key }, rawBody: '{"direction":"DIRECTION_INCOMING"}' }, expect: { status: 200, body: { count: String(rows.filter((r) => r.direction === "incoming").length) } } });

  // enums, by name and by number
  directions.forEach((name, n) => {
    if (n === 0) return;
    const match = (r: Row) => r.direction === (n === 1 ? "incoming" : "outgoing");
    count("enums", `direction ${name}`, { direction: name }, match);
    count("enums", `direction by number ${n}`, { direction: n }, match);
  });
  deliveries.forEach((name, n) => {
    if (n === 0) return;
    const match = (r: Row) => r.deliveryStatus === ["", "queued", "transmitted", "delivered", "failed"][n];
    count("enums", `delivery_status ${name}`, { delivery_status: name }, match);
    count("enums", `deliveryStatus by number ${n}`, { deliveryStatus: n }, match);
  });
  billings.forEach((name, n) => {
    if (n === 0) return;
    const match = (r: Row) => r.billingStatus === ["", "prebilled", "billed", "refunding", "underfunded", "refunded", "failed", "authorized"][n];
    count("enums", `billing_status ${name}`, { billing_status: name }, match);
    count("enums", `billingStatus by number ${n}`, { billingStatus: n }, match);
  });
  statuses.forEach((name, n) => {
    if (n === 0) return;
    count("enums", `status ${name}`, { status: name }, (r) => exolveStatus(r) === name);
    count("enums", `status by number ${n}`, { status: n }, (r) => exolveStatus(r) === name);
  });
  for (const [field, value] of [["direction", "DIRECTION_UNSPECIFIED"], ["status", 0], ["delivery_status", "DELIVERY_STATUS_UNSPECIFIED"], ["number", ""], ["limit", 0], ["offset", "0"], ["message_id", ""], ["date_gte", ""], ["billing_status", null]] as const) {
    count("proto3 unset values", `${field}: ${JSON.stringify(value)} means unset`, { [field]: value }, () => true);
  }

  // filters
  const target = rows[1]!;
  count("filters", "message_id as a decimal string", { message_id: w.projects.a1.sms[1]!.messageId }, (r) => r === target);
  count("filters", "messageId (lowerCamelCase) as a decimal string", { messageId: w.projects.a1.sms[1]!.messageId }, (r) => r === target);
  const asNumber = w.projects.a1.sms[1]!.messageId;
  if (Number.isSafeInteger(Number(asNumber))) count("filters", "message_id as a JSON number", { message_id: Number(asNumber) }, (r) => r === target);
  out.push({
    dialect: "exolve", group: "errors", name: "a message_id past 2^53 as a JSON number is 400 invalid value (send a decimal string)",
    request: { method: "POST", path, headers: { ...key, "Content-Type": "application/json" }, rawBody: '{"message_id": 9007199254740993}' }, expect: error(400, "invalid value"),
  });
  count("filters", "a message_id that names nothing counts 0", { message_id: "18446744073709551615" }, () => false);
  const hasNumber = (r: Row, d: string) => digits(r.toNumber) === d || digits(r.fromNumber) === d;
  count("filters", "number matches the to-number through digits", { number: "+45 81 80 88 88" }, (r) => hasNumber(r, "4581808888"));
  const withFrom = rows.find((r) => r.fromNumber)!;
  count("filters", "number matches the from-number", { number: withFrom.fromNumber }, (r) => hasNumber(r, digits(withFrom.fromNumber)));
  const withSender = rows.find((r) => r.senderName)!;
  count("filters", "number matches a sender name", { number: withSender.senderName }, (r) => r.senderName === withSender.senderName);
  const inRange = (r: Row) => r.createdAt >= "2024-03-01T00:00:00.000Z" && r.createdAt <= rows[7]!.createdAt;
  count("filters", "date_gte and date_lte are inclusive", { date_gte: "2024-03-01T00:00:00.000Z", date_lte: rows[7]!.createdAt }, inRange);
  count("filters", "dateGte/dateLte (lowerCamelCase) with an offset time zone", { dateGte: "2024-03-01T01:00:00+01:00", dateLte: rows[7]!.createdAt }, inRange);
  count("filters", "filters are ANDed", { direction: "DIRECTION_OUTGOING", delivery_status: "DELIVERY_STATUS_DELIVERED" }, (r) => r.direction === "outgoing" && r.deliveryStatus === "delivered");
  const seedBody = { ...seeds.exolve.getCount.request, message_id: w.projects.a1.sms[2]!.messageId, number: rows[2]!.toNumber, date_gte: rows[2]!.createdAt, date_lte: rows[2]!.createdAt };
  count("seed example", "getCount: the seed's request with this run's message matches it", seedBody, (r) => r === rows[2]);
  add("seed example", "getCount: the seed's literal request counts nothing here", seeds.exolve.getCount.request, { status: 200, body: { count: "0" } });

  // window
  const total = rows.length;
  const win = (offset: number, limit: number) => String(Math.min(Math.max(total - offset, 0), limit || Infinity));
  for (const [offset, limit] of [[0, 5], [20, 10], [total - 2, 0], [total + 6, 3], [3, "7"], ["10", 1]] as const) {
    add("window", `offset ${JSON.stringify(offset)} limit ${JSON.stringify(limit)} counts the window`, { offset, limit }, { status: 200, body: { count: win(Number(offset), Number(limit)) } });
  }

  // errors
  add("errors", "an unknown field is 400 unknown field", { colour: "red" }, error(400, "unknown field"));
  add("errors", "both spellings of a field are 400 syntax error", { message_id: "1", messageId: "1" }, error(400, "syntax error"));
  add("errors", "an unknown enum name is 400 invalid value", { direction: "DIRECTION_SIDEWAYS" }, error(400, "invalid value"));
  add("errors", "an unknown enum number is 400 invalid value", { delivery_status: 9 }, error(400, "invalid value"));
  add("errors", "an enum name in lower case is 400 invalid value", { status: "status_delivered" }, error(400, "invalid value"));
  add("errors", "limit past uint32 is 400 invalid value", { limit: 4294967296 }, error(400, "invalid value"));
  add("errors", "offset past uint64 is 400 invalid value", { offset: "18446744073709551616" }, error(400, "invalid value"));
  add("errors", "a negative limit is 400 invalid value", { limit: -1 }, error(400, "invalid value"));
  add("errors", "a fractional offset is 400 invalid value", { offset: 1.5 }, error(400, "invalid value"));
  add("errors", "message_id with non-digits is 400 invalid value", { message_id: "12a" }, error(400, "invalid value"));
  add("errors", "a date that is not RFC 3339 is 400 invalid value", { date_gte: "20 January 2023" }, error(400, "invalid value"));
  add("errors", "a date without a time zone is 400 invalid value", { date_lte: "2023-01-20T11:39:01" }, error(400, "invalid value"));
  add("errors", "a number of the wrong type is 400 invalid value", { number: 79678880033 }, error(400, "invalid value"));
  const raw = (name: string, rawBody: string, expect: Expect, headers: Record<string, string> = { ...key, "Content-Type": "application/json" }) =>
    out.push({ dialect: "exolve", group: "errors", name, request: { method: "POST", path, headers, rawBody }, expect });
  raw("malformed JSON is 400 syntax error", '{"limit": ', error(400, "syntax error"));
  raw("a JSON array is 400 syntax error", "[]", error(400, "syntax error"));
  raw("a JSON string is 400 syntax error", '"count"', error(400, "syntax error"));
  raw("a __proto__ key is 400 unknown field", '{"__proto__": {"limit": 1}}', error(400, "unknown field"));
  raw("a text/plain body is 415", "{}", { status: 415, body: { code: 415 } }, { ...key, "Content-Type": "text/plain" });
  out.push({ dialect: "exolve", group: "errors", name: "an unknown path under /messaging is 404 page not found", request: { method: "POST", path: "/messaging/v1/GetCounts", headers: key, body: {} }, expect: error(404, "page not found") });
  out.push({ dialect: "exolve", group: "errors", name: "a GET of GetCount is not a route", request: { method: "GET", path, headers: key }, expect: { status: [404, 405] } });

  // authentication
  const unauthorized = error(401, "authorization token is invalid");
  add("authentication", "no key is 401", {}, unauthorized, {});
  add("authentication", "an unknown key is 401", {}, unauthorized, bearer("cl_" + "2".repeat(40)));
  add("authentication", "a revoked key is 401", {}, unauthorized, bearer(w.keys.a1Revoked));
  add("authentication", "a key without SMS Log read permission is 401", {}, unauthorized, bearer(w.keys.a1ReadCalls));
  add("authentication", "a key with no permission at all is 401", {}, unauthorized, bearer(w.keys.a1None));
  add("authentication", "a reseller key is 401", {}, unauthorized, bearer(w.keys.resellerA));
  add("authentication", "a platform key is 401", {}, unauthorized, bearer(w.keys.admin));
  add("authentication", "the ApiKey header is not the Exolve scheme", {}, unauthorized, { ApiKey: w.keys.a1ReadSms });
  add("authentication", "ProjectMember may count", {}, { status: 200, body: { count: String(total) } }, bearer(w.keys.a1Viewer));

  // isolation
  add("tenant isolation", "another application's key counts only its own SMS", {}, { status: 200, body: { count: String(w.projects.b1.sms.length) } }, bearer(w.keys.b1Owner));
  const foreignId = w.projects.b1.sms[0]!.messageId;
  add("tenant isolation", "another application's message id counts only own rows", { message_id: foreignId }, { status: 200, body: { count: String(w.projects.a1.sms.filter((s) => s.messageId === foreignId).length) } });
  return out;
}
