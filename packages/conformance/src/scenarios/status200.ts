import seeds from "@commlog/contracts/seed-examples.json" with { type: "json" };
import { digits, status200Status, type Row } from "../dataset.js";
import type { Permission, World } from "../provisioning.js";
import { status200Permissions } from "../provisioning.js";
import type { HttpRequest } from "../http.js";
import { partialMatch, type Expect, type Scenario } from "../scenario.js";
import { apiKey, expectStatus, nowhere, pagesInvariant, req } from "./common.js";

type Resource = "sms-log" | "incoming-call-log" | "incoming-call-log-item";
const resources: Resource[] = ["sms-log", "incoming-call-log", "incoming-call-log-item"];

/**
 * SPEC §2, written out: who may read and write each resource. A permission grants nothing by
 * hierarchy; `null` means "not via the API" (405 for every key).
 */
const readers: Record<Resource, Permission[]> = {
  "sms-log": ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadSmsLog", "ReadAllProjectResources"],
  "incoming-call-log-item": ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadIncomingCallLogItem", "ReadAllProjectResources"],
  "incoming-call-log": ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadIncomingCallLog", "ReadAllProjectResources"],
};
const writers: Record<Resource, Permission[] | null> = {
  "sms-log": null,
  "incoming-call-log-item": ["ProjectOwner", "ProjectAdmin"],
  "incoming-call-log": null,
};

/** Every route of a resource, with its alternative methods (SPEC §4). */
const routes = (r: Resource) => [
  { kind: "read", method: "POST", path: `/api/${r}/get-list`, op: "get-list" },
  { kind: "read", method: "GET", path: `/api/${r}/get-list`, op: "get-list (GET)" },
  { kind: "read", method: "POST", path: `/api/${r}/count`, op: "count" },
  { kind: "read-item", method: "POST", path: `/api/${r}/{id}/get-item`, op: "get-item" },
  { kind: "read-item", method: "GET", path: `/api/${r}/{id}/get-item`, op: "get-item (GET)" },
  { kind: "create", method: "POST", path: `/api/${r}`, op: "create" },
  { kind: "update", method: "PUT", path: `/api/${r}/{id}`, op: "update (PUT)" },
  { kind: "update", method: "POST", path: `/api/${r}/{id}/update-item`, op: "update-item" },
  { kind: "update", method: "GET", path: `/api/${r}/{id}/update-item`, op: "update-item (GET)" },
  { kind: "delete", method: "DELETE", path: `/api/${r}/{id}`, op: "delete" },
  { kind: "delete", method: "POST", path: `/api/${r}/{id}/delete-item`, op: "delete-item" },
  { kind: "delete", method: "GET", path: `/api/${r}/{id}/delete-item`, op: "delete-item (GET)" },
] as const;

export function status200Scenarios(w: World): Scenario[] {
  const a1 = w.projects.a1;
  const b1 = w.projects.b1;
  const owner = apiKey(w.keys.a1Owner);
  const out: Scenario[] = [];
  const add = (group: string, name: string, request: ReturnType<typeof req>, expect: Expect, then?: Array<{ request: HttpRequest; expect: Expect }>) =>
    out.push({ dialect: "status200", group, name, request, expect, ...(then ? { then } : {}) });

  const outgoing = w.rows.filter((r) => r.direction === "outgoing");
  const smsId = (r: Row) => a1.sms[r.i]!._id;
  const newest = (rows: Row[]) => [...rows].sort((x, y) => (x.createdAt < y.createdAt ? 1 : -1));
  const delivered = outgoing.filter((r) => status200Status(r) === "Delivered");
  const existing: Record<Resource, (p: World["projects"]["a1"]) => string | undefined> = {
    "sms-log": (p) => p.sms[0]?._id,
    "incoming-call-log": (p) => p.calls[0],
    "incoming-call-log-item": (p) => p.items[0],
  };
  const totals: Record<Resource, number> = { "sms-log": outgoing.length, "incoming-call-log": a1.calls.length, "incoming-call-log-item": a1.items.length };

  // ── routes: every route and alternative method, with an owner key ─────────────────────────
  for (const r of resources) {
    const id = existing[r](a1) ?? nowhere();
    add(`${r} get-list`, "POST get-list returns the page and the total", req("POST", `/api/${r}/get-list`, owner, {}), {
      status: 200,
      body: { count: totals[r], skip: 0, limit: 10 },
    });
    add(`${r} get-list`, "GET get-list returns the same page", req("GET", `/api/${r}/get-list`, owner), { status: 200, body: { count: totals[r], skip: 0, limit: 10 } });
    add(`${r} count`, "POST count counts the project's objects", req("POST", `/api/${r}/count`, owner, {}), { status: 200, body: { count: totals[r] } });
    add(`${r} get-item`, "POST get-item returns the object's _id", req("POST", `/api/${r}/${id}/get-item`, owner, {}), { status: 200, body: { _id: id } });
    add(`${r} get-item`, "GET get-item returns the object's _id", req("GET", `/api/${r}/${id}/get-item`, owner), { status: 200, body: { _id: id } });
    add(`${r} get-item`, "get-item of a missing id is 404", req("POST", `/api/${r}/${nowhere()}/get-item`, owner, {}), { status: 404 });
    add(`${r} get-item`, "get-item of a malformed id is 400", req("POST", `/api/${r}/not-a-uuid/get-item`, owner, {}), { status: 400 });
    if (writers[r] === null) {
      for (const route of routes(r).filter((x) => x.kind !== "read" && x.kind !== "read-item")) {
        const body = route.method === "GET" || route.method === "DELETE" ? undefined : { data: { status: "x" } };
        add(`${r} read-only`, `${route.method} ${route.op} is 405 with an Allow header`, req(route.method, route.path.replace("{id}", id), owner, body), {
          status: 405,
          headers: { Allow: "" },
        });
      }
    }
  }
  for (const path of [`/api/incoming-call-log-item/${a1.items[0]}/update-item`, `/api/incoming-call-log-item/${a1.items[0]}/delete-item`]) {
    add("incoming-call-log-item HTTP", `HEAD ${path.split("/").pop()} is 405`, req("HEAD", path, owner), { status: 405 });
  }

  // ── the seeds' examples, with this run's ids ─────────────────────────────────────────────
  const seed = seeds.status200;
  const smsSelected = ["_id", "projectId", "smsCostInUSDCents", "status", "toNumber", "alert"];
  add("seed examples", "smsLogList: delivered SMS, newest first, the selected fields only", {
    method: "POST", path: seed.smsLogList.path, headers: owner, query: { skip: 0, limit: 10 }, body: seed.smsLogList.request,
  }, {
    status: 200,
    body: { count: delivered.length, skip: 0, limit: 10 },
    values: { "data[*]._id": newest(delivered).map(smsId) },
    every: { "data[*].status": "Delivered", "data[*].projectId": a1.id, "data[*].alert": w.alertId },
    absent: ["data[*].fromNumber", "data[*].smsText", "data[*].createdAt"],
  });
  const row2 = w.rows[2]!;
  add("seed examples", "smsLogGetItem: the selected fields of one SMS", req("POST", seed.smsLogGetItem.path.replace("{id}", smsId(row2)), owner, seed.smsLogGetItem.request), {
    status: 200,
    body: { _id: smsId(row2), projectId: a1.id, smsCostInUSDCents: row2.smsCostInUSDCents, status: "Delivered", toNumber: row2.toNumber, alert: w.alertId },
    absent: ["fromNumber", "smsText", "createdAt"],
  });
  add("seed examples", "smsLogCount: count of delivered SMS", req("POST", seed.smsLogCount.path, owner, seed.smsLogCount.request), { status: 200, body: { count: delivered.length } });
  const exampleItems = a1.items.slice(0, 3);
  add("seed examples", "itemList: items with status Example status", { method: "POST", path: seed.itemList.path, headers: owner, query: { skip: 0, limit: 10 }, body: seed.itemList.request }, {
    status: 200,
    body: { count: exampleItems.length, skip: 0, limit: 10 },
    sameSet: { "data[*]._id": exampleItems },
    every: { "data[*].status": "Example status", "data[*].isAnswered": true, "data[*].projectId": a1.id, "data[*].incomingCallLogId": a1.calls[0] },
  });
  add("seed examples", "itemGetItem: the selected fields of one item", req("POST", seed.itemGetItem.path.replace("{id}", a1.items[0] ?? nowhere()), owner, seed.itemGetItem.request), {
    status: 200,
    body: { _id: a1.items[0], incomingCallLogId: a1.calls[0], isAnswered: true, projectId: a1.id, status: "Example status" },
  });
  add("seed examples", "itemCount: count of Example status items", req("POST", seed.itemCount.path, owner, seed.itemCount.request), { status: 200, body: { count: exampleItems.length } });

  // ── select, query, sort ───────────────────────────────────────────────────────────────────
  const list = (name: string, body: unknown, expect: Expect, group = "sms-log get-list") =>
    add(group, name, { method: "POST", path: "/api/sms-log/get-list", headers: owner, query: { limit: 100 }, body }, expect);
  const count = (name: string, query: unknown, expected: number | Expect) =>
    add("sms-log count", name, req("POST", "/api/sms-log/count", owner, { query }), typeof expected === "number" ? { status: 200, body: { count: expected } } : expected);
  list("without select an object carries only _id", {}, { status: 200, present: ["data[*]._id"], absent: ["data[*].status", "data[*].projectId", "data[*].createdAt", "data[*].toNumber"] });
  list("an unknown select field is 400", { select: { nonsense: true } }, { status: 400, bodyIncludes: ["nonsense"] });
  list("a TelecomX-only field (price) is not selectable", { select: { price: true } }, { status: 400, bodyIncludes: ["price"] });
  list("a relation alias returns the id", { select: { project: true, alert: true }, query: { alert: w.alertId } }, {
    status: 200,
    every: { "data[*].project": a1.id, "data[*].alert": w.alertId },
    body: { count: outgoing.filter((r) => r.withAlert).length },
  });
  list("an unknown query field is 400 naming it", { query: { bogusField: "x" } }, { status: 400, bodyIncludes: ["bogusField"] });
  list("an ordered operator on a phone is 400", { query: { toNumber: { _type: "GreaterThan", value: "+4581808888" } } }, { status: 400, bodyIncludes: ["toNumber"] });
  list("a value of the wrong type is 400", { query: { smsCostInUSDCents: "many" } }, { status: 400, bodyIncludes: ["smsCostInUSDCents"] });
  list("an unknown sort field is 400", { sort: { nonsense: "ASC" } }, { status: 400 });
  list("a long text (smsText) is no sort key", { sort: { smsText: "ASC" } }, { status: 400 });
  list("a non-empty groupBy is 400", { groupBy: { status: true } }, { status: 400, bodyIncludes: ["groupBy"] });
  list("the upstream client's empty groupBy is accepted", { groupBy: {}, select: { status: true } }, { status: 200, body: { count: outgoing.length } });
  const byCost = [...outgoing].sort((x, y) => x.smsCostInUSDCents - y.smsCostInUSDCents);
  list("sort ASC orders ascending", { sort: { smsCostInUSDCents: "ASC" } }, { status: 200, values: { "data[*]._id": byCost.map(smsId) } });
  list("sort -1 orders descending", { sort: { smsCostInUSDCents: -1 } }, { status: 200, values: { "data[*]._id": [...byCost].reverse().map(smsId) } });
  list("default order is createdAt descending", {}, { status: 200, values: { "data[*]._id": newest(outgoing).map(smsId) } });
  count("a phone matches through its digits", { toNumber: "+45 81 80 88 88" }, outgoing.filter((r) => digits(r.toNumber) === "4581808888").length);
  count("null means is null", { fromNumber: null }, outgoing.filter((r) => r.fromNumber === null).length);
  count("NotNull", { fromNumber: { _type: "NotNull" } }, outgoing.filter((r) => r.fromNumber !== null).length);
  count("an array means any of", { status: ["Delivered", "Sent"] }, outgoing.filter((r) => ["Delivered", "Sent"].includes(status200Status(r))).length);
  count("InBetween with typed DateTime wrappers is inclusive", {
    createdAt: { _type: "InBetween", startValue: { _type: "DateTime", value: "2024-03-01T00:00:00.000Z" }, endValue: { _type: "DateTime", value: "2024-04-30T23:59:59.999Z" } },
  }, outgoing.filter((r) => r.createdAt >= "2024-03" && r.createdAt < "2024-05").length);
  count("Search treats % literally", { smsText: { _type: "Search", value: "100%" } }, outgoing.filter((r) => r.smsText.includes("100%")).length);
  count("Search treats _ literally", { smsText: { _type: "Search", value: "%_off" } }, outgoing.filter((r) => r.smsText.includes("%_off")).length);
  count("Search is case-insensitive", { smsText: { _type: "Search", value: "CONFORMANCE" } }, outgoing.filter((r) => /conformance/i.test(r.smsText)).length);
  count("a string equality is exact and case-sensitive", { status: "delivered" }, 0);
  count("GreaterThanOrEqual on an integer", { smsCostInUSDCents: { _type: "GreaterThanOrEqual", value: 20 } }, outgoing.filter((r) => r.smsCostInUSDCents >= 20).length);
  count("a typed ObjectID wrapper is accepted", { alertId: { _type: "ObjectID", value: w.alertId } }, outgoing.filter((r) => r.withAlert).length);
  count("an operator that does not fit a boolean-less field is 400", { status: { _type: "GreaterThan", value: 3 } }, { status: 400, bodyIncludes: ["status"] });
  count("a bad date in a filter is 400", { createdAt: { _type: "GreaterThan", value: "yesterday" } }, { status: 400, bodyIncludes: ["createdAt"] });

  // ── upstream clients and dashboards (SPEC §4 "Upstream clients as they are", §10) ─────────────
  const up = "upstream clients";
  const withAlert = outgoing.filter((r) => r.withAlert);
  const withoutAlert = outgoing.filter((r) => !r.withAlert);
  const oldest = (rows: Row[]) => newest(rows).reverse();
  const listOf = (r: Resource, name: string, body: unknown, expect: Expect, headers: Record<string, string> = {}) =>
    add(up, name, { method: "POST", path: `/api/${r}/get-list`, headers: { ...owner, ...headers }, query: { limit: 100 }, body }, expect);
  // relation select, both forms
  listOf("sms-log", "select a relation as true returns its id, as an object returns {_id}", {
    select: { alert: { _id: true, title: true }, project: true }, query: { alert: w.alertId },
  }, { status: 200, body: { count: withAlert.length }, every: { "data[*].alert._id": w.alertId, "data[*].project": a1.id }, present: ["data[*].alert._id"] });
  listOf("sms-log", "select a relation as an object returns null where there is none", {
    select: { alert: { _id: true }, alertId: true }, query: { alertId: null },
  }, { status: 200, body: { count: withoutAlert.length }, every: { "data[*].alert": null, "data[*].alertId": null } });
  listOf("sms-log", "a list mixes both forms in one select, row by row", {
    select: { alert: { _id: true, name: true }, alertId: true, project: { _id: true } }, sort: { createdAt: "ASC" },
  }, {
    status: 200,
    body: { count: outgoing.length, data: oldest(outgoing).map((r) => ({ _id: smsId(r), alert: r.withAlert ? { _id: w.alertId } : null, alertId: r.withAlert ? w.alertId : null, project: { _id: a1.id } })) },
  });
  const smsWithAlert = withAlert[0];
  if (smsWithAlert) {
    add(up, "get-item selects a relation as an object", req("POST", `/api/sms-log/${smsId(smsWithAlert)}/get-item`, owner, { select: { alert: { _id: true, title: true }, user: { _id: true } } }), {
      status: 200, body: { _id: smsId(smsWithAlert), alert: { _id: w.alertId }, user: null },
    });
  }
  add(up, "get-item of an item selects its relations as objects", req("POST", `/api/incoming-call-log-item/${a1.items[0] ?? nowhere()}/get-item`, owner, {
    select: { incomingCallLog: { _id: true, status: true }, project: { _id: true }, user: { _id: true }, incomingCallPolicyEscalationRule: true },
  }), { status: 200, body: { _id: a1.items[0], incomingCallLog: { _id: a1.calls[0] }, project: { _id: a1.id }, user: null, incomingCallPolicyEscalationRule: null } });
  add(up, "get-item of a call selects its relations as objects (GET with a body)", req("GET", `/api/incoming-call-log/${a1.calls[0] ?? nowhere()}/get-item`, owner, {
    select: { project: { _id: true, name: true }, answeredByUser: { _id: true }, incomingCallPolicy: { _id: true } },
  }), { status: 200, body: { _id: a1.calls[0], project: { _id: a1.id }, answeredByUser: null, incomingCallPolicy: null } });
  listOf("incoming-call-log-item", "an item list selects a relation as an object", { select: { incomingCallLog: { _id: true } } }, {
    status: 200, body: { count: a1.items.length }, every: { "data[*].incomingCallLog._id": a1.calls[0] },
  });
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`field${i}`, true]));
  listOf("sms-log", "50 sub-fields in a relation select are accepted", { select: { alert: fifty }, query: { alert: w.alertId } }, { status: 200, every: { "data[*].alert._id": w.alertId } });
  for (const [name, select] of [
    ["51 sub-fields in a relation select are 400", { alert: { ...fifty, field50: true } }],
    ["a sub-field name that is no identifier is 400", { alert: { "alert title": true } }],
    ["a sub-field that is not true is 400", { alert: { _id: false } }],
    ["an object select on a plain field is 400", { status: { _id: true } }],
    ["an object select on an id column (not the relation) is 400", { alertId: { _id: true } }],
  ] as const) {
    listOf("sms-log", name, { select }, { status: 400, bodyIncludes: [Object.keys(select)[0]!] });
  }
  // Search, StartsWith, EndsWith on ids
  const idCount = (r: Resource, name: string, query: unknown, expected: number | Expect) =>
    add(up, name, req("POST", `/api/${r}/count`, owner, { query }), typeof expected === "number" ? { status: 200, body: { count: expected } } : expected);
  const firstSms = outgoing[0] ? smsId(outgoing[0]) : nowhere();
  const startsLike = (prefix: string) => outgoing.filter((r) => smsId(r).startsWith(prefix)).length;
  idCount("sms-log", "_id StartsWith matches the uuid text case-insensitively", { _id: { _type: "StartsWith", value: firstSms.slice(0, 9).toUpperCase() } }, startsLike(firstSms.slice(0, 9)));
  idCount("sms-log", "_id StartsWith a whole id is that id", { _id: { _type: "StartsWith", value: firstSms } }, 1);
  idCount("sms-log", "_id EndsWith", { _id: { _type: "EndsWith", value: firstSms.slice(-12).toUpperCase() } }, outgoing.filter((r) => smsId(r).endsWith(firstSms.slice(-12))).length);
  idCount("sms-log", "_id Search", { _id: { _type: "Search", value: firstSms.slice(9, 18) } }, outgoing.filter((r) => smsId(r).includes(firstSms.slice(9, 18))).length);
  idCount("sms-log", "a relation id Search (the relation name)", { alert: { _type: "Search", value: w.alertId.slice(4, 20).toUpperCase() } }, withAlert.length);
  idCount("sms-log", "a relation id StartsWith", { alertId: { _type: "StartsWith", value: w.alertId.slice(0, 13) } }, withAlert.length);
  idCount("sms-log", "a relation id EndsWith", { alertId: { _type: "EndsWith", value: w.alertId.slice(-5) } }, withAlert.length);
  idCount("sms-log", "projectId StartsWith: the tenant's rows", { projectId: { _type: "StartsWith", value: a1.id.slice(0, 8).toUpperCase() } }, outgoing.length);
  idCount("sms-log", "projectId Search of another tenant: nothing (ANDed with the tenant)", { project: { _type: "Search", value: b1.id } }, 0);
  idCount("incoming-call-log-item", "incomingCallLogId StartsWith", { incomingCallLogId: { _type: "StartsWith", value: (a1.calls[0] ?? nowhere()).slice(0, 6) } }, a1.items.length);
  idCount("incoming-call-log", "_id EndsWith on calls", { _id: { _type: "EndsWith", value: (a1.calls[1] ?? nowhere()).slice(-12) } }, 1);
  idCount("sms-log", "an id StartsWith text no uuid has matches nothing", { _id: { _type: "StartsWith", value: "xyz" } }, 0);
  idCount("sms-log", "an id Search treats % and _ literally", { alertId: { _type: "Search", value: "%" } }, 0);
  idCount("sms-log", "NotContains on an id is 400", { _id: { _type: "NotContains", value: "a" } }, { status: 400, bodyIncludes: ["_id"] });
  // typed wrappers inside query operators and arrays
  const deliveredTo = delivered[0]?.toNumber ?? "+4581808888";
  const sameTo = outgoing.filter((r) => digits(r.toNumber) === digits(deliveredTo)).length;
  idCount("sms-log", "ObjectID inside EqualTo", { alert: { _type: "EqualTo", value: { _type: "ObjectID", value: w.alertId.toUpperCase() } } }, withAlert.length);
  idCount("sms-log", "ObjectIDs inside Includes", { _id: { _type: "Includes", value: outgoing.slice(0, 3).map((r) => ({ _type: "ObjectID", value: smsId(r) })) } }, Math.min(3, outgoing.length));
  idCount("sms-log", "ObjectIDs inside a bare array", { _id: outgoing.slice(0, 2).map((r) => ({ _type: "ObjectID", value: smsId(r) })) }, Math.min(2, outgoing.length));
  idCount("sms-log", "ObjectIDs inside IncludesNone", { _id: { _type: "IncludesNone", value: outgoing.slice(0, 2).map((r) => ({ _type: "ObjectID", value: smsId(r) })) } }, Math.max(0, outgoing.length - 2));
  idCount("sms-log", "a Phone inside EqualTo", { toNumber: { _type: "EqualTo", value: { _type: "Phone", value: deliveredTo } } }, sameTo);
  idCount("sms-log", "Phones inside a bare array", { toNumber: [{ _type: "Phone", value: deliveredTo }, "+1 000 000 0000"] }, sameTo);
  idCount("sms-log", "DateTimes inside Includes", { createdAt: { _type: "Includes", value: outgoing.slice(0, 2).map((r) => ({ _type: "DateTime", value: r.createdAt })) } },
    outgoing.filter((r) => outgoing.slice(0, 2).some((x) => x.createdAt === r.createdAt)).length);
  idCount("sms-log", "a DateTime inside GreaterThan", { createdAt: { _type: "GreaterThan", value: { _type: "DateTime", value: "2024-06-01T00:00:00.000Z" } } }, outgoing.filter((r) => r.createdAt > "2024-06-01T00:00:00.000Z").length);
  idCount("sms-log", "a wrapper of the wrong kind is 400", { createdAt: { _type: "EqualTo", value: { _type: "ObjectID", value: w.alertId } } }, { status: 400, bodyIncludes: ["createdAt"] });
  // the upstream envelope: groupBy {}, sort ASC/DESC, charset, status 200 with count/skip/limit
  for (const r of resources) {
    listOf(r, `${r}: the upstream list body (groupBy {}, sort "DESC", charset=UTF-8) is 200 with count, skip and limit`, { select: { createdAt: true }, query: {}, sort: { createdAt: "DESC" }, groupBy: {} }, {
      status: 200, body: { count: totals[r], skip: 0, limit: 100 }, present: ["data[*]._id", "data[*].createdAt"],
    }, { "Content-Type": "application/json;charset=UTF-8" });
    add(up, `${r}: GET get-list with skip and limit in the query string answers count, skip and limit`, req("GET", `/api/${r}/get-list`, owner, undefined, { skip: 1, limit: 2 }), {
      status: 200, body: { count: totals[r], skip: 1, limit: 2 },
    });
  }
  listOf("sms-log", `sort "DESC" orders descending`, { sort: { smsCostInUSDCents: "DESC" } }, { status: 200, values: { "data[*]._id": [...byCost].reverse().map(smsId) } });
  listOf("sms-log", "sort 1 orders ascending", { sort: { smsCostInUSDCents: 1 } }, { status: 200, values: { "data[*]._id": byCost.map(smsId) } });
  listOf("sms-log", `sort "ASC" on createdAt orders oldest first`, { sort: { createdAt: "ASC" } }, { status: 200, values: { "data[*]._id": oldest(outgoing).map(smsId) } });
  add(up, "get-item with charset=UTF-8 is JSON", req("POST", `/api/sms-log/${firstSms}/get-item`, { ...owner, "Content-Type": "application/json;charset=UTF-8" }, { select: { status: true } }), { status: 200, body: { _id: firstSms } });

  // ── pagination ────────────────────────────────────────────────────────────────────────────
  const page = (name: string, query: Record<string, string | number>, body: unknown, expect: Expect) =>
    add("sms-log pagination", name, { method: "POST", path: "/api/sms-log/get-list", headers: owner, query, body }, expect);
  page("limit 0 is 400", { limit: 0 }, {}, { status: 400, bodyIncludes: ["limit"] });
  page("limit 101 is 400", { limit: 101 }, {}, { status: 400, bodyIncludes: ["limit"] });
  page("a non-numeric limit is 400", { limit: "ten" }, {}, { status: 400, bodyIncludes: ["limit"] });
  page("a fractional limit is 400", { limit: "2.5" }, {}, { status: 400, bodyIncludes: ["limit"] });
  page("a negative skip is 400", { skip: -1 }, {}, { status: 400, bodyIncludes: ["skip"] });
  page("limit and skip in the body apply", {}, { limit: 5, skip: 2 }, { status: 200, body: { count: outgoing.length, limit: 5, skip: 2 }, values: { "data[*]._id": newest(outgoing).slice(2, 7).map(smsId) } });
  page("the query string wins over the body", { limit: 3 }, { limit: 5 }, { status: 200, body: { limit: 3, count: outgoing.length } });
  page("a skip past the end returns an empty page and the total", { skip: 1000 }, {}, { status: 200, body: { count: outgoing.length, skip: 1000, data: [] } });
  const pagingFlow = (name: string, sort: unknown, size: number) =>
    out.push({
      dialect: "status200",
      group: "sms-log pagination",
      name,
      run: async (send) => {
        const problems: string[] = [];
        const get = async (skip: number, limit: number) =>
          expectStatus(await send({ method: "POST", path: "/api/sms-log/get-list", headers: owner, query: { skip, limit }, body: sort ? { sort } : {} }), 200, `page skip=${skip}`, problems);
        const whole = await get(0, 100);
        const pages: string[][] = [];
        const counts: number[] = [];
        for (let skip = 0; skip < outgoing.length; skip += size) {
          const p = await get(skip, size);
          pages.push((p?.data ?? []).map((o: { _id: string }) => o._id));
          counts.push(p?.count);
        }
        if (!problems.length) problems.push(...pagesInvariant(pages, whole.data.map((o: { _id: string }) => o._id), counts, outgoing.length));
        return problems;
      },
    });
  pagingFlow("pages of 7 in the default order: count = total, no duplicates, no gaps", undefined, 7);
  pagingFlow("pages of 3 sorted on a column full of ties (status) never overlap", { status: "ASC" }, 3);

  // ── the HTTP envelope ─────────────────────────────────────────────────────────────────────
  const raw = (name: string, headers: Record<string, string>, rawBody: string, expect: Expect) =>
    add("HTTP", name, { method: "POST", path: "/api/sms-log/count", headers: { ...owner, ...headers }, rawBody }, expect);
  raw("malformed JSON is a JSON 400", { "Content-Type": "application/json" }, '{"query": ', { status: 400, headers: { "content-type": "json" } });
  raw("a non-object body is 400", { "Content-Type": "application/json" }, "[1,2]", { status: 400 });
  raw("a text/plain body is 415", { "Content-Type": "text/plain" }, "{}", { status: 415 });
  raw("the upstream client's content type is JSON", { "Content-Type": "application/json;charset=UTF-8" }, "{}", { status: 200, body: { count: outgoing.length } });
  raw("an empty body is {}", { "Content-Type": "application/json" }, "", { status: 200, body: { count: outgoing.length } });
  raw("a __proto__ key is no filter", { "Content-Type": "application/json" }, '{"query": {"__proto__": {"status": "Delivered"}}}', { status: 400 });

  // ── authentication ────────────────────────────────────────────────────────────────────────
  const auth = (name: string, headers: Record<string, string | string[]>, expect: Expect, path = "/api/sms-log/count") => add("authentication", name, req("POST", path, headers, {}), expect);
  auth("no ApiKey header is 401", {}, { status: 401 });
  auth("an unknown key is 401", apiKey("cl_" + "0".repeat(40)), { status: 401 });
  auth("a garbled key is 401", apiKey("\u00ff\u00fe not a key"), { status: 401 });
  auth("an empty ApiKey is 401", apiKey(""), { status: 401 });
  auth("a revoked key is 401", apiKey(w.keys.a1Revoked), { status: 401 });
  auth("a Bearer token is not the Status200 scheme", { Authorization: `Bearer ${w.keys.a1Owner}` }, { status: 401 });
  auth("a duplicated ApiKey header does not authenticate", { ApiKey: [w.keys.a1Owner, w.keys.b1Owner] }, { status: [400, 401] });
  auth("the header name is case-insensitive", { apikey: w.keys.a1Owner }, { status: 200, body: { count: outgoing.length } });
  auth("401 comes before 405 on a read-only resource", {}, { status: 401 }, "/api/sms-log");
  add("authentication", "401 comes before 400: malformed JSON without a key", { method: "POST", path: "/api/sms-log/count", headers: { "Content-Type": "application/json" }, rawBody: '{"query": ' }, { status: 401 });
  add("authentication", "401 comes before 405 and 400: a malformed write to a read-only resource without a key", { method: "POST", path: "/api/sms-log", headers: { "Content-Type": "application/json" }, rawBody: "{" }, { status: 401 });

  // ── tenant isolation ──────────────────────────────────────────────────────────────────────
  const iso = "tenant isolation";
  add(iso, "a projectId filter is ANDed with the tenant", req("POST", "/api/sms-log/count", owner, { query: { projectId: b1.id } }), { status: 200, body: { count: 0 } });
  add(iso, "a project (relation) filter is ANDed with the tenant", req("POST", "/api/sms-log/count", owner, { query: { project: b1.id } }), { status: 200, body: { count: 0 } });
  add(iso, "a list holds only the key's project", { method: "POST", path: "/api/sms-log/get-list", headers: owner, query: { limit: 100 }, body: { select: { projectId: true } } }, {
    status: 200, body: { count: outgoing.length }, every: { "data[*].projectId": a1.id },
  });
  add(iso, "another tenant's SMS is 404", req("POST", `/api/sms-log/${b1.sms[0]?._id ?? nowhere()}/get-item`, owner, {}), { status: 404 });
  add(iso, "another tenant's call is 404", req("POST", `/api/incoming-call-log/${b1.calls[0] ?? nowhere()}/get-item`, owner, {}), { status: 404 });
  add(iso, "another tenant's item is 404", req("GET", `/api/incoming-call-log-item/${b1.items[0] ?? nowhere()}/get-item`, owner), { status: 404 });
  const b1Item = b1.items[0] ?? nowhere();
  const b1Still = { request: req("POST", `/api/incoming-call-log-item/${b1Item}/get-item`, apiKey(w.keys.b1Owner), { select: { status: true } }), expect: { status: 200, body: { _id: b1Item, status: "Example status" } } };
  add(iso, "updating another tenant's item is 404 and changes nothing", req("PUT", `/api/incoming-call-log-item/${b1Item}`, owner, { data: { status: "hijacked" } }), { status: 404 }, [b1Still]);
  add(iso, "deleting another tenant's item is 404 and deletes nothing", req("DELETE", `/api/incoming-call-log-item/${b1Item}`, owner), { status: 404 }, [b1Still]);
  const b1Count = { request: req("POST", "/api/incoming-call-log-item/count", apiKey(w.keys.b1Owner), {}), expect: { status: 200, body: { count: b1.items.length } } };
  const a1ItemCount = { request: req("POST", "/api/incoming-call-log-item/count", owner, {}), expect: { status: 200, body: { count: a1.items.length } } };
  const createItem = (name: string, data: Record<string, unknown>, then = [a1ItemCount, b1Count]) =>
    add(iso, name, req("POST", "/api/incoming-call-log-item", owner, { data: { incomingCallLogId: a1.calls[0], status: "Ringing", isAnswered: false, ...data } }), { status: 400 }, then);
  createItem("create with another tenant's projectId is 400 and writes nothing", { projectId: b1.id });
  createItem("create with a project relation object is 400 and writes nothing", { project: { _id: b1.id } });
  createItem("create carrying an existing _id is 400 and writes nothing", { _id: b1Item });
  createItem("create under another tenant's call is 400 and writes nothing", { incomingCallLogId: b1.calls[0] });
  createItem("the seed's literal ids (a foreign project) are 400", { ...seed.itemCreate.request.data });

  // ── item writes: validation (all rejected, nothing written) ──────────────────────────────────
  const wr = "incoming-call-log-item writes";
  const item = a1.items[3] ?? nowhere();
  const unchanged = { request: req("POST", `/api/incoming-call-log-item/${item}/get-item`, owner, { select: { status: true, isAnswered: true } }), expect: { status: 200, body: { status: "Ringing", isAnswered: false } } };
  const rejectCreate = (name: string, data: Record<string, unknown>, field?: string) =>
    add(wr, name, req("POST", "/api/incoming-call-log-item", owner, { data }), { status: 400, ...(field ? { bodyIncludes: [field] } : {}) }, [a1ItemCount]);
  const base = { incomingCallLogId: a1.calls[0], status: "Ringing", isAnswered: false };
  rejectCreate("create without status is 400", { incomingCallLogId: a1.calls[0], isAnswered: false }, "status");
  rejectCreate("create without incomingCallLogId is 400", { status: "Ringing", isAnswered: false }, "incomingCallLogId");
  rejectCreate("create with an unknown field is 400 naming it", { ...base, colour: "red" }, "colour");
  rejectCreate("create with a server-set createdAt is 400", { ...base, createdAt: "2024-01-01T00:00:00.000Z" }, "createdAt");
  rejectCreate("create with a 101-character status is 400", { ...base, status: "x".repeat(101) }, "status");
  rejectCreate("create with a 501-character statusMessage is 400", { ...base, statusMessage: "x".repeat(501) }, "statusMessage");
  rejectCreate("create with a 31-character phone is 400", { ...base, userPhoneNumber: "+1 555 555 5555 555 555 555 555" }, "userPhoneNumber");
  rejectCreate("create with a negative cost is 400", { ...base, callCostInUSDCents: -1 }, "callCostInUSDCents");
  rejectCreate("create with a bad date is 400", { ...base, startedAt: "2024-02-30T25:00:00Z" }, "startedAt");
  rejectCreate("create with a missing call is 400", { ...base, incomingCallLogId: nowhere() }, "incomingCallLogId");
  const rejectUpdate = (name: string, data: unknown, field?: string) =>
    add(wr, name, req("PUT", `/api/incoming-call-log-item/${item}`, owner, { data }), { status: 400, ...(field ? { bodyIncludes: [field] } : {}) }, [unchanged]);
  rejectUpdate("update of a field outside the update list is 400 naming it", { incomingCallLogId: a1.calls[1] }, "incomingCallLogId");
  rejectUpdate("update of projectId is 400", { projectId: b1.id }, "projectId");
  rejectUpdate("update of _id is 400", { _id: nowhere() }, "_id");
  rejectUpdate("an empty update is 400", {});
  rejectUpdate("update with a wrong type is 400", { isAnswered: "yes" }, "isAnswered");
  add(wr, "update of a missing id is 404", req("PUT", `/api/incoming-call-log-item/${nowhere()}`, owner, { data: { status: "x" } }), { status: 404 });
  add(wr, "delete of a missing id is 404", req("DELETE", `/api/incoming-call-log-item/${nowhere()}`, owner), { status: 404 });

  // ── permission matrix (SPEC §2), on project M ─────────────────────────────────────────────────
  const m = w.projects.m;
  for (const permission of [...status200Permissions, "none"] as const) {
    const key = apiKey(w.keys.matrix[permission]);
    for (const r of resources) {
      for (const route of routes(r)) {
        const allowedList = route.kind === "read" || route.kind === "read-item" ? readers[r] : writers[r];
        const id = route.kind === "read-item" ? (existing[r](m) ?? nowhere()) : nowhere();
        const path = route.path.replace("{id}", id);
        const body =
          route.kind === "create" ? { data: { incomingCallLogId: m.calls[0], status: "matrix", isAnswered: false } }
          : route.kind === "update" ? { data: { status: "matrix" } }
          : route.method === "POST" ? {} : undefined;
        let expect: Expect;
        if (allowedList === null) expect = { status: 405 };
        else if (!(allowedList as readonly string[]).includes(permission)) expect = { status: 403, bodyIncludes: [allowedList.at(-1) === "ReadAllProjectResources" ? allowedList[3]! : "ProjectAdmin"] };
        else if (route.kind === "update" || route.kind === "delete") expect = { status: 404 };
        else expect = { status: 200 };
        add(`permission matrix ${r}`, `${permission}: ${route.method} ${route.op} → ${expect.status === 200 || expect.status === 404 ? "allowed" : expect.status}`, { method: route.method, path, headers: key, ...(body ? { body } : {}) }, expect);
      }
    }
  }

  // ── writes that succeed (last: they change counts) ─────────────────────────────────────────────
  add("seed examples", "itemCreate: creates an item and returns every non-null field", req("POST", seed.itemCreate.path, owner, { data: { ...seed.itemCreate.request.data, incomingCallLogId: a1.calls[0], projectId: a1.id } }), {
    status: 200,
    body: { incomingCallLogId: a1.calls[0], isAnswered: true, projectId: a1.id, status: "Example status", callCostInUSDCents: 100 },
    present: ["_id", "createdAt"],
  });
  add("seed examples", "itemUpdate: updates an item and answers {}", req("PUT", seed.itemUpdate.path.replace("{id}", a1.items[4] ?? nowhere()), owner, seed.itemUpdate.request), { status: 200, body: {} }, [
    { request: req("POST", `/api/incoming-call-log-item/${a1.items[4]}/get-item`, owner, { select: { status: true, isAnswered: true, callCostInUSDCents: true } }), expect: { status: 200, body: { status: "Example status", isAnswered: true, callCostInUSDCents: 100 } } },
  ]);
  add(wr, "the upstream client's miscDataProps and typed wrappers are accepted", req("POST", `/api/incoming-call-log-item/${a1.items[4] ?? nowhere()}/update-item`, { ...owner, "Content-Type": "application/json;charset=UTF-8" }, {
    data: { startedAt: { _type: "DateTime", value: "2024-05-01T10:00:00.000Z" } }, miscDataProps: {},
  }), { status: 200, body: {} });
  add(wr, "GET update-item honours its JSON body", req("GET", `/api/incoming-call-log-item/${a1.items[4] ?? nowhere()}/update-item`, owner, { data: { statusMessage: "via GET" } }), { status: 200, body: {} }, [
    { request: req("POST", `/api/incoming-call-log-item/${a1.items[4]}/get-item`, owner, { select: { statusMessage: true } }), expect: { status: 200, body: { statusMessage: "via GET" } } },
  ]);
  // The upstream client's create: only the fields a user set (no isAnswered), miscDataProps {},
  // typed wrappers inside data, its content type; then it reads, updates and deletes, each 200.
  const upstreamCreate = (name: string, data: Record<string, unknown>, check: (created: any, problems: string[]) => void) =>
    out.push({
      dialect: "status200",
      group: up,
      name,
      run: async (send) => {
        const problems: string[] = [];
        const headers = { ...owner, "Content-Type": "application/json;charset=UTF-8" };
        const created = expectStatus(await send(req("POST", "/api/incoming-call-log-item", headers, { data, miscDataProps: {} })), 200, "create", problems);
        if (!created?._id) return problems;
        check(created, problems);
        const read = expectStatus(await send(req("POST", `/api/incoming-call-log-item/${created._id}/get-item`, owner, { select: { isAnswered: true, incomingCallLog: { _id: true } } })), 200, "get-item", problems);
        if (read?.isAnswered !== created.isAnswered) problems.push(`get-item isAnswered ${JSON.stringify(read?.isAnswered)}, created ${JSON.stringify(created.isAnswered)}`);
        if (read?.incomingCallLog?._id !== created.incomingCallLogId) problems.push(`get-item incomingCallLog ${JSON.stringify(read?.incomingCallLog)}`);
        const listed = expectStatus(await send(req("POST", "/api/incoming-call-log-item/get-list", headers, { query: { _id: { _type: "ObjectID", value: created._id }, isAnswered: created.isAnswered }, groupBy: {} })), 200, "get-list", problems);
        if (listed?.count !== 1 || listed?.skip !== 0 || listed?.limit !== 10) problems.push(`get-list answered count/skip/limit ${listed?.count}/${listed?.skip}/${listed?.limit}, expected 1/0/10`);
        const updated = expectStatus(await send(req("POST", `/api/incoming-call-log-item/${created._id}/update-item`, headers, { data: { endedAt: { _type: "DateTime", value: "2024-05-01T10:05:00.000Z" } }, miscDataProps: {} })), 200, "update-item", problems);
        if (JSON.stringify(updated) !== "{}") problems.push(`update answered ${JSON.stringify(updated)}, expected {}`);
        const removed = expectStatus(await send(req("DELETE", `/api/incoming-call-log-item/${created._id}`, owner)), 200, "delete", problems);
        if (JSON.stringify(removed) !== "{}") problems.push(`delete answered ${JSON.stringify(removed)}, expected {}`);
        return problems;
      },
    });
  upstreamCreate("a create without isAnswered defaults it to false, returns it and stores it", { incomingCallLogId: a1.calls[0], status: "Ringing" }, (created, problems) => {
    if (created.isAnswered !== false) problems.push(`create answered isAnswered ${JSON.stringify(created.isAnswered)}, expected false`);
  });
  upstreamCreate("typed wrappers (ObjectID, Phone, DateTime) inside create data", {
    projectId: { _type: "ObjectID", value: a1.id.toUpperCase() },
    incomingCallLogId: { _type: "ObjectID", value: a1.calls[1] },
    userId: { _type: "ObjectID", value: w.alertId },
    userPhoneNumber: { _type: "Phone", value: "+45 81 80 88 88" },
    startedAt: { _type: "DateTime", value: "2024-05-01T12:00:00.000+02:00" },
    status: "Connected",
    isAnswered: true,
  }, (created, problems) => {
    const expected = { projectId: a1.id, incomingCallLogId: a1.calls[1], userId: w.alertId, userPhoneNumber: "+45 81 80 88 88", startedAt: "2024-05-01T10:00:00.000Z", isAnswered: true };
    problems.push(...partialMatch(expected, created, "create"));
  });
  for (const [method, suffix, label] of [["DELETE", "", "itemDelete (DELETE)"], ["POST", "/delete-item", "delete-item (POST)"], ["GET", "/delete-item", "delete-item (GET)"]] as const) {
    out.push({
      dialect: "status200",
      group: label.startsWith("item") ? "seed examples" : wr,
      name: `${label}: deletes an item, answers {}, and it is gone`,
      run: async (send) => {
        const problems: string[] = [];
        const created = expectStatus(await send(req("POST", "/api/incoming-call-log-item", owner, { data: { incomingCallLogId: a1.calls[1], status: "to delete", isAnswered: false } })), 200, "create", problems);
        if (!created?._id) return problems;
        const res = await send(req(method, `/api/incoming-call-log-item/${created._id}${suffix}`, owner));
        const body = expectStatus(res, 200, method, problems);
        if (res.status === 200 && JSON.stringify(body) !== "{}") problems.push(`delete answered ${JSON.stringify(body)}, expected {}`);
        expectStatus(await send(req("POST", `/api/incoming-call-log-item/${created._id}/get-item`, owner, {})), 404, "get-item after delete", problems);
        return problems;
      },
    });
  }
  return out;
}
