import type { Dialect } from "@commlog/contracts";
import type { HttpRequest, HttpResponse } from "../http.js";
import type { FlowContext, FlowScenario, Scenario } from "../scenario.js";
import type { DialectContract } from "../validation.js";
import { apiKey, bearer, expectStatus, nowhere, pagesInvariant, req } from "./common.js";

/**
 * Keys-only mode: scenarios for a deployment where the suite may not provision (no admin token).
 * It is given two project keys of different tenants (and optionally a TelecomX reseller key), knows
 * nothing of their data and writes nothing: every scenario reads, or sends a request a correct
 * server refuses before it writes (and then checks nothing changed). Expectations come from the
 * data the keys read (orders, pages, counts that must agree across routes and dialects), and from
 * what the keys' own answers say of their permissions: where a key may not read a resource, the
 * scenarios that need it are skipped, with that reason. They assume the keys' data does not change
 * during the run.
 */
export interface ConformanceKeys {
  /** A project key (the main one: most scenarios read with it). */
  project: string;
  /** A project key of another tenant (isolation scenarios). */
  otherProject: string;
  /** Optionally a TelecomX RESELLER key (reseller visibility scenarios). */
  reseller?: string;
}

type Send = (req: HttpRequest) => Promise<HttpResponse>;
type Resource = "sms-log" | "incoming-call-log" | "incoming-call-log-item";
const resources: Resource[] = ["sms-log", "incoming-call-log", "incoming-call-log-item"];
const readOnly: Resource[] = ["sms-log", "incoming-call-log"];
const PAGE = 100;

/** A flow that may skip itself; a thrown Skip ends it as skipped (with the problems found so far). */
class Skip extends Error {}
const flow = (dialect: Dialect, group: string, name: string, body: (send: Send, problems: string[]) => Promise<void>): FlowScenario => ({
  dialect,
  group,
  name,
  run: async (send: Send, context: FlowContext) => {
    const problems: string[] = [];
    try {
      await body(send, problems);
    } catch (error) {
      if (!(error instanceof Skip)) throw error;
      context.skip(error.message);
    }
    return problems;
  },
});

const ordered = (values: Array<string | number | null>, direction: "asc" | "desc", nullsLast = false): string | undefined => {
  for (let i = 1; i < values.length; i++) {
    const [a, b] = [values[i - 1]!, values[i]!];
    if (a === null || b === null) {
      if (nullsLast && a === null && b !== null) return `position ${i}: a value after a null (nulls come last)`;
      continue;
    }
    if (direction === "asc" ? a > b : a < b) return `position ${i}: ${JSON.stringify(a)} then ${JSON.stringify(b)} is not ${direction === "asc" ? "ascending" : "descending"}`;
  }
  return undefined;
};

const digits = (s: unknown) => String(s ?? "").replace(/\D/g, "");

export function keysOnlyScenarios(keys: ConformanceKeys, contracts: Record<Dialect, DialectContract>, dialects: Dialect[]): Scenario[] {
  const out: Scenario[] = [];
  const A = keys.project;
  const B = keys.otherProject;
  const who = (key: string) => (key === A ? "the project key" : key === B ? "the other project key" : "the reseller key");

  // ── Status200 ───────────────────────────────────────────────────────────────────────────────
  const s200 = {
    count: (key: string, r: Resource, query: unknown = {}) => req("POST", `/api/${r}/count`, apiKey(key), { query }),
    list: (key: string, r: Resource, body: Record<string, unknown> = {}, skip = 0, limit = PAGE) =>
      ({ method: "POST", path: `/api/${r}/get-list`, headers: apiKey(key), query: { skip, limit }, body }) as HttpRequest,
    item: (key: string, r: Resource, id: string, body: unknown = {}) => req("POST", `/api/${r}/${id}/get-item`, apiKey(key), body),
  };
  /** Whether the key may read the resource (its count answers 200); 403 is "no"; anything else a problem. */
  const readable = async (send: Send, key: string, r: Resource, problems: string[]): Promise<boolean> => {
    const res = await send(s200.count(key, r));
    if (res.status === 200) return true;
    if (res.status !== 403) problems.push(`${who(key)}: POST /api/${r}/count answered ${res.status}, expected 200 or 403`);
    return false;
  };
  const needRead = async (send: Send, key: string, r: Resource, problems: string[]) => {
    if (!(await readable(send, key, r, problems))) throw new Skip(`${who(key)} may not read ${r}`);
  };
  /** The fields a resource's select takes (every field of its Select schema), each `true`. */
  const selectAll = (r: Resource): Record<string, true> => {
    const name = { "sms-log": "SmsLogSelect", "incoming-call-log": "IncomingCallLogSelect", "incoming-call-log-item": "IncomingCallLogItemSelect" }[r];
    const schema = contracts.status200.resolve(contracts.status200.schema(name)) as { properties?: Record<string, unknown> };
    return Object.fromEntries(Object.keys(schema?.properties ?? {}).map((k) => [k, true as const]));
  };
  /** The relations of a resource's select (the fields that take the object form). */
  const relationsOf = (r: Resource): string[] => {
    const name = { "sms-log": "SmsLogSelect", "incoming-call-log": "IncomingCallLogSelect", "incoming-call-log-item": "IncomingCallLogItemSelect" }[r];
    const schema = contracts.status200.resolve(contracts.status200.schema(name)) as { properties?: Record<string, unknown> };
    return Object.entries(schema?.properties ?? {}).filter(([, v]) => JSON.stringify(v).includes("RelationSelect")).map(([k]) => k);
  };
  const page = async (send: Send, key: string, r: Resource, body: Record<string, unknown>, problems: string[], skip = 0, limit = PAGE) =>
    expectStatus(await send(s200.list(key, r, body, skip, limit)), 200, `${who(key)} get-list ${r} skip=${skip}`, problems) as { count: number; data: Array<Record<string, any>> } | undefined;

  if (dialects.includes("status200")) {
    for (const r of resources) {
      const group = `${r} (keys-only)`;
      out.push(flow("status200", group, "every read route agrees: all answer 200, or all 403", async (send, problems) => {
        const statuses: Record<string, number> = {};
        const list = await send(s200.list(A, r));
        statuses["POST get-list"] = list.status;
        statuses["GET get-list"] = (await send(req("GET", `/api/${r}/get-list`, apiKey(A)))).status;
        statuses["POST count"] = (await send(s200.count(A, r))).status;
        // get-item of a listed object (or, where the list is refused, of any id: permission comes first).
        const id: string | undefined = list.status === 200 ? (list.json as any)?.data?.[0]?._id : nowhere();
        if (id) {
          statuses["POST get-item"] = (await send(s200.item(A, r, id))).status;
          statuses["GET get-item"] = (await send(req("GET", `/api/${r}/${id}/get-item`, apiKey(A)))).status;
        }
        const distinct = new Set(Object.values(statuses));
        if (distinct.size !== 1 || ![200, 403].includes([...distinct][0]!)) problems.push(`the read routes disagree: ${JSON.stringify(statuses)}`);
      }));
      out.push(flow("status200", group, "the list's count equals the count route's", async (send, problems) => {
        await needRead(send, A, r, problems);
        const counted = expectStatus(await send(s200.count(A, r)), 200, "count", problems);
        const listed = await page(send, A, r, {}, problems, 0, 1);
        if (listed && counted && listed.count !== counted.count) problems.push(`get-list count ${listed.count}, count ${counted.count}`);
      }));
      out.push(flow("status200", group, "every selectable field at once: each object carries exactly them; get-item returns the same values", async (send, problems) => {
        await needRead(send, A, r, problems);
        const select = selectAll(r);
        const listed = await page(send, A, r, { select }, problems);
        const first = listed?.data?.[0];
        if (!first) throw new Skip(`${who(A)} sees no ${r}`);
        const item = expectStatus(await send(s200.item(A, r, first._id, { select })), 200, "get-item", problems);
        if (item && JSON.stringify(item) !== JSON.stringify(first)) problems.push(`get-item ${JSON.stringify(item).slice(0, 200)} differs from the list's row ${JSON.stringify(first).slice(0, 200)}`);
      }));
      out.push(flow("status200", group, "relations selected as objects are {_id} (the id column's value) or null", async (send, problems) => {
        await needRead(send, A, r, problems);
        const relations = relationsOf(r);
        const select = Object.fromEntries(relations.flatMap((k) => [[k, { _id: true, name: true }], [`${k}Id`, true]]));
        const listed = await page(send, A, r, { select }, problems);
        for (const row of listed?.data ?? []) {
          for (const k of relations) {
            const expected = row[`${k}Id`] === null ? null : { _id: row[`${k}Id`] };
            if (`${k}Id` in row && JSON.stringify(row[k]) !== JSON.stringify(expected)) problems.push(`${row._id}: ${k} is ${JSON.stringify(row[k])} but ${k}Id is ${JSON.stringify(row[`${k}Id`])}`);
          }
        }
      }));
      out.push(flow("status200", group, "without select each object carries only _id; a false select selects nothing", async (send, problems) => {
        await needRead(send, A, r, problems);
        await page(send, A, r, {}, problems, 0, 10);
        await page(send, A, r, { select: { createdAt: false } }, problems, 0, 10);
      }));
      out.push(flow("status200", group, "the default order is createdAt descending; sort ASC and DESC on createdAt are monotonic", async (send, problems) => {
        await needRead(send, A, r, problems);
        for (const [sort, direction] of [[undefined, "desc"], [{ createdAt: "ASC" }, "asc"], [{ createdAt: -1 }, "desc"]] as const) {
          const listed = await page(send, A, r, { select: { createdAt: true }, ...(sort ? { sort } : {}) }, problems);
          const bad = ordered((listed?.data ?? []).map((o) => o.createdAt), direction);
          if (bad) problems.push(`sort ${JSON.stringify(sort ?? "default")}: ${bad}`);
        }
      }));
      const paging = (name: string, sort: unknown, size: number) =>
        out.push(flow("status200", group, name, async (send, problems) => {
          await needRead(send, A, r, problems);
          const body = sort ? { sort } : {};
          const whole = await page(send, A, r, body, problems, 0, 7 * size);
          if (!whole) return;
          const n = whole.data.length;
          const pages: string[][] = [];
          const counts: number[] = [];
          for (let skip = 0; skip < n; skip += size) {
            const p = await page(send, A, r, body, problems, skip, Math.min(size, n - skip));
            pages.push((p?.data ?? []).map((o) => o._id));
            counts.push(p?.count ?? -1);
          }
          if (!problems.length) problems.push(...pagesInvariant(pages, whole.data.map((o) => o._id), counts, whole.count).filter((p) => !p.startsWith("the whole list")));
          if (whole.data.length !== Math.min(whole.count, 7 * size)) problems.push(`a page of ${7 * size} holds ${whole.data.length} objects of ${whole.count}`);
        }));
      paging("pages of 7 in the default order: the count constant, no duplicates, no gaps, the order of one big page", undefined, 7);
      if (r !== "incoming-call-log") paging("pages of 3 sorted on a column full of ties (status) never overlap", { status: "ASC", createdAt: "DESC" }, 3);
      out.push(flow("status200", group, "a skip past the end returns an empty page and the count", async (send, problems) => {
        await needRead(send, A, r, problems);
        const first = await page(send, A, r, {}, problems, 0, 1);
        if (!first) return;
        const past = await page(send, A, r, {}, problems, first.count + 5, 10);
        if (past && (past.data.length || past.count !== first.count)) problems.push(`skip ${first.count + 5}: ${past.data.length} objects, count ${past.count} (expected none and ${first.count})`);
      }));
      if (r !== "incoming-call-log") {
        out.push(flow("status200", group, "a filter on status: count and list agree, and every object listed has that status", async (send, problems) => {
          await needRead(send, A, r, problems);
          const listed = await page(send, A, r, { select: { status: true } }, problems);
          const values = [...new Set((listed?.data ?? []).map((o) => o.status as string | null))].filter((v) => v !== null).slice(0, 3);
          if (!values.length) throw new Skip(`${who(A)} sees no ${r} with a status`);
          for (const status of values) {
            const counted = expectStatus(await send(s200.count(A, r, { status })), 200, `count status=${status}`, problems);
            const filtered = await page(send, A, r, { select: { status: true }, query: { status } }, problems);
            if (counted && filtered && counted.count !== filtered.count) problems.push(`status ${status}: count ${counted.count}, get-list count ${filtered.count}`);
            const other = filtered?.data.find((o) => o.status !== status);
            if (other) problems.push(`status ${status}: the list holds ${other._id} with status ${JSON.stringify(other.status)}`);
          }
        }));
      }
      if (r === "sms-log") {
        out.push(flow("status200", group, "sort on smsCostInUSDCents ASC and -1 are monotonic", async (send, problems) => {
          await needRead(send, A, r, problems);
          for (const [sort, direction] of [[{ smsCostInUSDCents: "ASC" }, "asc"], [{ smsCostInUSDCents: -1 }, "desc"]] as const) {
            const listed = await page(send, A, r, { select: { smsCostInUSDCents: true }, sort }, problems);
            const bad = ordered((listed?.data ?? []).map((o) => o.smsCostInUSDCents), direction);
            if (bad) problems.push(`sort ${JSON.stringify(sort)}: ${bad}`);
          }
        }));
      }
      out.push(flow("status200", group, "get-item of a missing id is 404, of a malformed id 400", async (send, problems) => {
        await needRead(send, A, r, problems);
        expectStatus(await send(s200.item(A, r, nowhere())), 404, "a missing id", problems);
        expectStatus(await send(s200.item(A, r, "not-a-uuid")), 400, "a malformed id", problems);
      }));
      out.push(flow("status200", group, "invalid list requests are 400 (unknown select, query and sort fields, groupBy, limit, skip)", async (send, problems) => {
        await needRead(send, A, r, problems);
        for (const [what, body, skip, limit] of [
          ["an unknown select field", { select: { nonsense: true } }, 0, 10], ["an unknown query field", { query: { bogusField: "x" } }, 0, 10],
          ["an unknown sort field", { sort: { nonsense: "ASC" } }, 0, 10], ["a non-empty groupBy", { groupBy: { status: true } }, 0, 10],
          ["limit 0", {}, 0, 0], ["limit 101", {}, 0, 101], ["skip -1", {}, -1, 10],
        ] as const) expectStatus(await send(s200.list(A, r, body, skip, limit)), 400, what, problems);
      }));
    }
    // Writes a correct server refuses before writing anything: read-only resources are 405 for every key.
    for (const r of readOnly) {
      for (const [method, path] of [["POST", `/api/${r}`], ["PUT", `/api/${r}/{id}`], ["POST", `/api/${r}/{id}/update-item`], ["DELETE", `/api/${r}/{id}`], ["POST", `/api/${r}/{id}/delete-item`]] as const) {
        const body = method === "DELETE" ? undefined : { data: { status: "x" } };
        out.push({ dialect: "status200", group: `${r} read-only (keys-only)`, name: `${method} ${path.replace(`/api/${r}`, "") || "/"} is 405 with an Allow header`, request: req(method, path.replace("{id}", nowhere()), apiKey(A), body), expect: { status: 405, headers: { Allow: "" } } });
      }
    }
    const itemGroup = "incoming-call-log-item writes (keys-only)";
    out.push({ dialect: "status200", group: itemGroup, name: "update of a missing id is 404 (403 for a key that may not write)", request: req("PUT", `/api/incoming-call-log-item/${nowhere()}`, apiKey(A), { data: { status: "x" } }), expect: { status: [403, 404] } });
    out.push({ dialect: "status200", group: itemGroup, name: "delete of a missing id is 404 (403 for a key that may not write)", request: req("DELETE", `/api/incoming-call-log-item/${nowhere()}`, apiKey(A)), expect: { status: [403, 404] } });
    out.push(flow("status200", itemGroup, "a create with an unknown field is refused (400, or 403) and writes nothing", async (send, problems) => {
      await needRead(send, A, "incoming-call-log-item", problems);
      const before = expectStatus(await send(s200.count(A, "incoming-call-log-item")), 200, "count before", problems);
      const res = await send(req("POST", "/api/incoming-call-log-item", apiKey(A), { data: { incomingCallLogId: nowhere(), status: "x", isAnswered: false, colour: "red" } }));
      if (![400, 403].includes(res.status)) problems.push(`expected 400 or 403, got ${res.status}`);
      const after = expectStatus(await send(s200.count(A, "incoming-call-log-item")), 200, "count after", problems);
      if (before?.count !== after?.count) problems.push(`a refused create wrote: count ${before?.count} → ${after?.count}`);
    }));

    // ── isolation between the two tenants ──
    const iso = "tenant isolation (keys-only)";
    const both = async (send: Send, r: Resource, problems: string[]) => {
      if (!(await readable(send, A, r, problems)) || !(await readable(send, B, r, problems))) throw new Skip(`the two keys may not both read ${r}`);
      const select = { projectId: true };
      const a = await page(send, A, r, { select }, problems);
      const b = await page(send, B, r, { select }, problems);
      return { a: a?.data ?? [], b: b?.data ?? [] };
    };
    for (const r of resources) {
      out.push(flow("status200", iso, `${r}: the two keys' lists share no object, and each holds one project`, async (send, problems) => {
        const { a, b } = await both(send, r, problems);
        const pa = new Set(a.map((o) => o.projectId));
        const pb = new Set(b.map((o) => o.projectId));
        if (pa.size > 1) problems.push(`the project key's list holds ${pa.size} projects`);
        if (pb.size > 1) problems.push(`the other project key's list holds ${pb.size} projects`);
        const shared = [...pa].filter((p) => pb.has(p));
        if (shared.length) problems.push(`both keys list objects of project ${shared[0]}: the keys must belong to different tenants`);
        const ids = new Set(a.map((o) => o._id));
        const common = b.filter((o) => ids.has(o._id));
        if (common.length) problems.push(`${common.length} object(s) in both lists, e.g. ${common[0]!._id}`);
      }));
      out.push(flow("status200", iso, `${r}: each key's get-item of the other's object is 404`, async (send, problems) => {
        const { a, b } = await both(send, r, problems);
        if (!a.length && !b.length) throw new Skip(`neither key sees any ${r}`);
        if (b[0]) expectStatus(await send(s200.item(A, r, b[0]._id)), 404, `the project key's get-item of the other tenant's ${b[0]._id}`, problems);
        if (a[0]) expectStatus(await send(s200.item(B, r, a[0]._id)), 404, `the other key's get-item of ${a[0]._id}`, problems);
      }));
      out.push(flow("status200", iso, `${r}: a projectId (or project) filter naming the other tenant counts 0`, async (send, problems) => {
        const { b } = await both(send, r, problems);
        const other = b[0]?.projectId;
        if (!other) throw new Skip(`the other project key sees no ${r}`);
        for (const query of [{ projectId: other }, { project: other }]) {
          const counted = expectStatus(await send(s200.count(A, r, query)), 200, `count ${JSON.stringify(query)}`, problems);
          if (counted && counted.count !== 0) problems.push(`count ${JSON.stringify(query)} is ${counted.count}, expected 0`);
        }
      }));
    }
    out.push(flow("status200", iso, "updating or deleting the other tenant's item is refused (404, or 403) and changes nothing", async (send, problems) => {
      const { b } = await both(send, "incoming-call-log-item", problems);
      const target = b[0];
      if (!target) throw new Skip("the other project key sees no incoming-call-log-item");
      const read = async () => JSON.stringify((await send(s200.item(B, "incoming-call-log-item", target._id, { select: selectAll("incoming-call-log-item") }))).json);
      const before = await read();
      for (const request of [req("PUT", `/api/incoming-call-log-item/${target._id}`, apiKey(A), { data: { status: "hijacked" } }), req("DELETE", `/api/incoming-call-log-item/${target._id}`, apiKey(A))]) {
        const res = await send(request);
        if (![403, 404].includes(res.status)) problems.push(`${request.method} of the other tenant's item answered ${res.status}, expected 404 or 403`);
      }
      if ((await read()) !== before) problems.push("the other tenant's item changed");
    }));
  }

  // ── TelecomX ────────────────────────────────────────────────────────────────────────────────
  const sms = (key: string, query: HttpRequest["query"] = {}) => ({ method: "GET", path: "/sms", headers: bearer(key), query }) as HttpRequest;
  type SmsList = { offset: number; limit: number; total: number; messages: Array<Record<string, any>> };
  /** The key's own list; skips when the key has no TelecomX access level (403 access_denied). */
  const ownList = async (send: Send, key: string, problems: string[], query: HttpRequest["query"] = {}): Promise<SmsList> => {
    const res = await send(sms(key, { limit: 1000, ...query }));
    if (res.status === 403 && (res.json as any)?.error === "access_denied") throw new Skip(`${who(key)} has no TelecomX access level`);
    const list = expectStatus(res, 200, `${who(key)} GET /sms`, problems) as SmsList | undefined;
    if (!list) throw new Skip(`${who(key)}: GET /sms answered ${res.status}`);
    return list;
  };
  /** The key's project id, as TelecomX (`customer`) or else Status200 (`projectId`) shows it; undefined when neither shows a row. */
  const customerOf = async (send: Send, key: string): Promise<string | undefined> => {
    const res = await send(sms(key, { limit: 1 }));
    const fromTelecomX = (res.json as any)?.messages?.[0]?.customer;
    if (fromTelecomX) return fromTelecomX;
    const listed = await send(s200.list(key, "sms-log", { select: { projectId: true } }, 0, 1));
    return (listed.json as any)?.data?.[0]?.projectId;
  };

  if (dialects.includes("telecomx")) {
    const vis = "visibility (keys-only)";
    for (const key of [A, B]) {
      out.push(flow("telecomx", vis, `${who(key)}: its own customer only, price on every message, never cost nor wholeSale`, async (send, problems) => {
        const list = await ownList(send, key, problems);
        const customers = new Set(list.messages.map((m) => m.customer));
        if (customers.size > 1) problems.push(`a project key lists ${customers.size} customers`);
        for (const field of ["cost", "wholeSale"]) if (list.messages.some((m) => field in m)) problems.push(`a project key sees ${field}`);
        if (list.messages.some((m) => !("price" in m))) problems.push("a message without price");
        if (list.total < list.messages.length) problems.push(`total ${list.total} is below the ${list.messages.length} messages listed`);
      }));
    }
    out.push(flow("telecomx", vis, "the message filter is allowed when the key sees message texts (OWNER)", async (send, problems) => {
      const list = await ownList(send, A, problems);
      const res = await send(sms(A, { message: "a" }));
      if (list.messages.some((m) => "message" in m)) expectStatus(res, 200, "a message filter by a key that sees texts", problems);
      else if (![200, 403].includes(res.status)) problems.push(`a message filter answered ${res.status}, expected 403 (VIEWER, MANAGER) or 200`);
    }));
    out.push(flow("telecomx", vis, "naming its own customer lists what no customer lists; naming the other tenant's or an unknown one is 404", async (send, problems) => {
      const list = await ownList(send, A, problems);
      const own = list.messages[0]?.customer ?? (await customerOf(send, A));
      if (own) {
        const named = expectStatus(await send(sms(A, { customer: own, limit: 1000 })), 200, "naming its own customer", problems);
        if (named && named.total !== list.total) problems.push(`naming its own customer: total ${named.total}, without customer ${list.total}`);
      }
      const other = await customerOf(send, B);
      for (const [what, customer] of [["the other tenant's customer", other], ["an unknown customer", nowhere()]] as const) {
        if (!customer) continue;
        const res = await send(sms(A, { customer }));
        expectStatus(res, 404, `naming ${what}`, problems);
        if (res.status === 404 && (res.json as any)?.message !== "Customer not found") problems.push(`naming ${what}: message ${JSON.stringify((res.json as any)?.message)}, expected "Customer not found"`);
      }
    }));
    const list = "sms list (keys-only)";
    out.push(flow("telecomx", list, "sort=SENT orders by sent time, newest first, unsent last", async (send, problems) => {
      const sorted = await ownList(send, A, problems, { sort: "SENT" });
      const bad = ordered(sorted.messages.map((m) => m.sent), "desc", true);
      if (bad) problems.push(bad);
    }));
    out.push(flow("telecomx", list, "to and from filters return only matching messages", async (send, problems) => {
      const all = await ownList(send, A, problems);
      const m = all.messages[0];
      if (!m) throw new Skip(`${who(A)} sees no SMS`);
      const to = await ownList(send, A, problems, { to: m.to[0] });
      if (!to.messages.some((x) => x._id === m._id)) problems.push(`to=${m.to[0]} misses ${m._id}`);
      const wrongTo = to.messages.find((x) => digits(x.to[0]) !== digits(m.to[0]));
      if (wrongTo) problems.push(`to=${m.to[0]} lists ${wrongTo._id} to ${wrongTo.to[0]}`);
      const from = await ownList(send, A, problems, { from: m.from });
      if (!from.messages.some((x) => x._id === m._id)) problems.push(`from=${m.from} misses ${m._id}`);
      const wrongFrom = from.messages.find((x) => (String(m.from).startsWith("+") ? digits(x.from) !== digits(m.from) : String(x.from).toLowerCase() !== String(m.from).toLowerCase()));
      if (wrongFrom) problems.push(`from=${m.from} lists ${wrongFrom._id} from ${wrongFrom.from}`);
    }));
    out.push(flow("telecomx", list, "without names no message carries names", async (send, problems) => {
      const all = await ownList(send, A, problems);
      const named = all.messages.find((m) => "fromName" in m || "toName" in m || "groupName" in m);
      if (named) problems.push(`${named._id} carries names without names=true`);
    }));
    out.push(flow("telecomx", "pagination (keys-only)", "pages of 6: total constant, no duplicates, no gaps, same order", async (send, problems) => {
      const whole = await ownList(send, A, problems, { limit: 60 });
      const pages: string[][] = [];
      const totals: number[] = [];
      for (let offset = 0; offset < whole.messages.length; offset += 6) {
        const p = await ownList(send, A, problems, { offset, limit: 6 });
        pages.push(p.messages.map((m) => m._id));
        totals.push(p.total);
      }
      problems.push(...pagesInvariant(pages, whole.messages.map((m) => m._id), totals, whole.total).filter((p) => !p.startsWith("the whole list")));
      if (whole.messages.length !== Math.min(whole.total, 60)) problems.push(`limit 60 holds ${whole.messages.length} messages of ${whole.total}`);
    }));
    out.push(flow("telecomx", "pagination (keys-only)", "offset and limit are echoed; an offset past the end is an empty page with the total", async (send, problems) => {
      const whole = await ownList(send, A, problems);
      const window = await ownList(send, A, problems, { offset: 1, limit: 2 });
      if (window.offset !== 1 || window.limit !== 2) problems.push(`offset/limit echoed as ${window.offset}/${window.limit}`);
      if (JSON.stringify(window.messages.map((m) => m._id)) !== JSON.stringify(whole.messages.slice(1, 3).map((m) => m._id))) problems.push("offset 1 limit 2 is not the 2nd and 3rd message of the whole list");
      const past = await ownList(send, A, problems, { offset: whole.total + 5, limit: 10 });
      if (past.messages.length || past.total !== whole.total) problems.push(`past the end: ${past.messages.length} messages, total ${past.total}`);
    }));
    out.push(flow("telecomx", "invalid parameters (keys-only)", "bad limits, offsets, sorts, months, names and numbers are 400 bad_request", async (send, problems) => {
      await ownList(send, A, problems, { limit: 1 });
      for (const [what, query] of [
        ["limit 0", { limit: 0 }], ["limit 1001", { limit: 1001 }], ["offset -1", { offset: -1 }], ["an unknown sort", { sort: "NEWEST" }],
        ["month 13", { fromDate: "2024-13" }], ["a full date", { toDate: "2024-01-15" }], ["a non-boolean names", { names: "maybe" }], ["a to that is no phone", { to: "call me" }],
      ] as const) {
        const res = await send(sms(A, query));
        expectStatus(res, 400, what, problems);
        if (res.status === 400 && (res.json as any)?.error !== "bad_request") problems.push(`${what}: error ${JSON.stringify((res.json as any)?.error)}, expected bad_request`);
      }
    }));
    for (const [name, headers] of [
      ["no key is 401", {}], ["an unknown key is 401", bearer("cl_" + "1".repeat(40))], ["the Status200 ApiKey header is not the TelecomX scheme", { ApiKey: A }],
      ["a Basic scheme is 401", { Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }],
    ] as const) out.push({ dialect: "telecomx", group: "authentication (keys-only)", name, request: { method: "GET", path: "/sms", headers }, expect: { status: 401 } });
    if (dialects.includes("status200")) {
      out.push(flow("telecomx", "across dialects (keys-only)", "the TelecomX total equals the Status200 SMS count of the same key", async (send, problems) => {
        const list = await ownList(send, A, problems, { limit: 1 });
        await needRead(send, A, "sms-log", problems);
        const counted = expectStatus(await send(s200.count(A, "sms-log")), 200, "Status200 count", problems);
        if (counted && counted.count !== list.total) problems.push(`TelecomX total ${list.total}, Status200 count ${counted.count}`);
      }));
    }
    if (keys.reseller) {
      const R = keys.reseller;
      const rv = "visibility RESELLER (keys-only)";
      out.push(flow("telecomx", rv, "RESELLER sees wholeSale and price on every message, never cost", async (send, problems) => {
        const all = await ownList(send, R, problems);
        if (all.messages.some((m) => "cost" in m)) problems.push("a RESELLER sees cost");
        if (all.messages.some((m) => !("wholeSale" in m) || !("price" in m))) problems.push("a message without wholeSale or price");
      }));
      out.push(flow("telecomx", rv, "RESELLER naming one of its customers lists only that customer; the totals add up", async (send, problems) => {
        const all = await ownList(send, R, problems);
        const customers = [...new Set(all.messages.map((m) => m.customer as string))];
        if (!customers.length) throw new Skip("the reseller key sees no SMS");
        let sum = 0;
        for (const customer of customers) {
          const named = await ownList(send, R, problems, { customer });
          sum += named.total;
          if (named.messages.some((m) => m.customer !== customer)) problems.push(`naming ${customer} lists other customers`);
        }
        if (all.messages.length === all.total && sum !== all.total) problems.push(`the customers' totals add up to ${sum}, the whole list holds ${all.total}`);
      }));
      out.push(flow("telecomx", rv, "RESELLER naming a project key's customer: 200 with that key's own total, or 404 when it is not its customer", async (send, problems) => {
        const all = await ownList(send, R, problems);
        const complete = all.messages.length === all.total;
        const seen = new Set(all.messages.map((m) => m.customer));
        for (const key of [A, B]) {
          const customer = await customerOf(send, key);
          if (!customer) continue;
          const res = await send(sms(R, { customer, limit: 1 }));
          if (res.status === 200) {
            const own = (await send(sms(key, { limit: 1 }))).json as any;
            if (own?.total !== undefined && (res.json as any)?.total !== own.total) problems.push(`RESELLER on ${who(key)}'s customer: total ${(res.json as any)?.total}, the key itself ${own.total}`);
            if (complete && !seen.has(customer) && own?.total) problems.push(`RESELLER may name ${customer} but its own list never shows it`);
          } else if (res.status !== 404) problems.push(`RESELLER naming ${who(key)}'s customer answered ${res.status}, expected 200 or 404`);
          else if (seen.has(customer)) problems.push(`RESELLER lists ${customer} but naming it is 404`);
        }
      }));
      out.push(flow("telecomx", rv, "RESELLER naming an unknown customer is 404; filtering message texts across its customers is 403", async (send, problems) => {
        await ownList(send, R, problems, { limit: 1 });
        expectStatus(await send(sms(R, { customer: nowhere() })), 404, "an unknown customer", problems);
        expectStatus(await send(sms(R, { message: "a" })), 403, "a message filter across its customers", problems);
      }));
    }
  }

  // ── Exolve ──────────────────────────────────────────────────────────────────────────────────
  if (dialects.includes("exolve")) {
    const path = "/messaging/v1/GetCount";
    const getCount = (key: string, body: unknown = {}) => ({ method: "POST", path, headers: bearer(key), body }) as HttpRequest;
    /** The key's count for a body; skips when the key may not read SMS Log (401). */
    const countOf = async (send: Send, key: string, body: unknown, problems: string[]): Promise<number> => {
      const res = await send(getCount(key, body));
      if (res.status === 401) throw new Skip(`${who(key)} may not count (no SMS Log read permission)`);
      const json = expectStatus(res, 200, `${who(key)} GetCount ${JSON.stringify(body)}`, problems);
      return Number(json?.count);
    };
    for (const key of [A, B]) {
      out.push(flow("exolve", "GetCount (keys-only)", `${who(key)}: GetCount answers 200 exactly when Status200 lets it read SMS Log`, async (send, problems) => {
        const exolve = (await send(getCount(key))).status;
        const status200 = (await send(s200.count(key, "sms-log"))).status;
        if ((exolve === 200) !== (status200 === 200) || ![200, 401].includes(exolve)) problems.push(`GetCount ${exolve}, Status200 sms-log count ${status200}`);
      }));
      out.push(flow("exolve", "GetCount (keys-only)", `${who(key)}: the directions and the combined statuses each add up to the total`, async (send, problems) => {
        const total = await countOf(send, key, {}, problems);
        let directions = 0;
        for (const direction of ["DIRECTION_INCOMING", "DIRECTION_OUTGOING"]) directions += await countOf(send, key, { direction }, problems);
        if (directions !== total) problems.push(`incoming + outgoing = ${directions}, total ${total}`);
        let statuses = 0;
        for (const status of ["STATUS_QUEUED", "STATUS_TRANSMITTED", "STATUS_DELIVERED", "STATUS_FAILED", "STATUS_UNDERFUNDED", "STATUS_PROHIBITED"]) statuses += await countOf(send, key, { status }, problems);
        if (statuses !== total) problems.push(`the combined statuses add up to ${statuses}, total ${total}`);
      }));
      if (dialects.includes("status200")) {
        out.push(flow("exolve", "across dialects (keys-only)", `${who(key)}: the outgoing count equals the Status200 SMS count`, async (send, problems) => {
          const outgoing = await countOf(send, key, { direction: "DIRECTION_OUTGOING" }, problems);
          const counted = expectStatus(await send(s200.count(key, "sms-log")), 200, "Status200 count", problems);
          if (counted && counted.count !== outgoing) problems.push(`Exolve outgoing ${outgoing}, Status200 count ${counted.count}`);
        }));
      }
    }
    out.push(flow("exolve", "window (keys-only)", "limit and offset count the window", async (send, problems) => {
      const total = await countOf(send, A, {}, problems);
      for (const [offset, limit] of [[0, 1], [1, 2], [total, 5], [total + 3, 0]] as const) {
        const counted = await countOf(send, A, { offset, limit }, problems);
        const expected = Math.min(Math.max(total - offset, 0), limit || Infinity);
        if (counted !== expected) problems.push(`offset ${offset} limit ${limit}: ${counted}, expected ${expected}`);
      }
    }));
    out.push(flow("exolve", "errors (keys-only)", "unknown fields, enum values, numbers and dates are 400 with their message", async (send, problems) => {
      await countOf(send, A, {}, problems);
      for (const [body, phrase] of [
        [{ colour: "red" }, "unknown field"], [{ message_id: "1", messageId: "1" }, "syntax error"], [{ direction: "DIRECTION_SIDEWAYS" }, "invalid value"],
        [{ limit: -1 }, "invalid value"], [{ message_id: "12a" }, "invalid value"], [{ date_gte: "20 January 2023" }, "invalid value"],
      ] as const) {
        const res = await send(getCount(A, body));
        expectStatus(res, 400, JSON.stringify(body), problems);
        if (res.status === 400 && !String((res.json as any)?.message ?? "").startsWith(phrase)) problems.push(`${JSON.stringify(body)}: message ${JSON.stringify((res.json as any)?.message)}, expected "${phrase}…"`);
      }
    }));
    const unauthorized = { status: 401, body: { code: 401 } };
    for (const [name, headers] of [
      ["no key is 401", {}], ["an unknown key is 401", bearer("cl_" + "2".repeat(40))], ["the ApiKey header is not the Exolve scheme", { ApiKey: A }],
      ...(keys.reseller ? [["a reseller key is 401", bearer(keys.reseller)]] : []),
    ] as Array<[string, Record<string, string>]>) out.push({ dialect: "exolve", group: "authentication (keys-only)", name, request: { method: "POST", path, headers, body: {} }, expect: unauthorized });
  }

  // ── Internal ───────────────────────────────────────────────────────────────────────────────
  if (dialects.includes("internal")) {
    out.push({
      dialect: "internal", group: "authentication (keys-only)", name: "a project key is not the admin token (401, or 404 where the internal API is off)",
      request: { method: "GET", path: "/internal/v1/api-keys", headers: bearer(A) }, expect: { status: [401, 404] },
    });
  }
  return out;
}
