import seeds from "@commlog/contracts/seed-examples.json" with { type: "json" };
import { digits, newestFirst, type Row } from "../dataset.js";
import type { World } from "../provisioning.js";
import type { Expect, Scenario } from "../scenario.js";
import { bearer, expectStatus, nowhere, pagesInvariant } from "./common.js";

type Level = "VIEWER" | "MANAGER" | "OWNER" | "RESELLER" | "ADMIN";

/**
 * SPEC §5 and §9 "TelecomX", written out: which customers a level may name, and which properties it
 * sees on a customer's messages (`message` for RESELLER only on its own project).
 */
const reach: Record<Level, Array<"own" | "same-reseller" | "reseller-own" | "foreign">> = {
  VIEWER: ["own"],
  MANAGER: ["own"],
  OWNER: ["own"],
  RESELLER: ["own", "same-reseller", "reseller-own"],
  ADMIN: ["own", "same-reseller", "reseller-own", "foreign"],
};
const sees = (level: Level, target: string) => ({
  message: level === "OWNER" || level === "ADMIN" || (level === "RESELLER" && target === "reseller-own"),
  cost: level === "ADMIN",
  wholeSale: level === "RESELLER" || level === "ADMIN",
  price: true,
});

export function telecomxScenarios(w: World): Scenario[] {
  const a1 = w.projects.a1;
  const out: Scenario[] = [];
  const add = (group: string, name: string, headers: Record<string, string>, query: Record<string, string | number | boolean | undefined>, expect: Expect) =>
    out.push({ dialect: "telecomx", group, name, request: { method: "GET", path: "/sms", headers, query }, expect });
  const keys: Record<Level, string> = { VIEWER: w.keys.a1Viewer, MANAGER: w.keys.a1Manager, OWNER: w.keys.a1Owner, RESELLER: w.keys.resellerA, ADMIN: w.keys.admin };
  const outgoing = w.rows.filter((r) => r.direction === "outgoing");
  const id = (r: Row) => a1.sms[r.i]!._id;
  const notFound: Expect = { status: 404, body: { error: "bad_request", message: "Customer not found" } };
  const denied: Expect = { status: 403, body: { error: "access_denied", message: "Insufficient access level" } };
  const targets = {
    own: { id: a1.id, total: outgoing.length },
    "same-reseller": { id: w.projects.a2.id, total: w.projects.a2.sms.length },
    "reseller-own": { id: w.projects.ra.id, total: w.projects.ra.sms.length },
    foreign: { id: w.projects.b1.id, total: w.projects.b1.sms.length },
  };

  // ── visibility matrix: level × customer × fields ──────────────────────────────────────────────
  for (const level of Object.keys(keys) as Level[]) {
    for (const [target, t] of Object.entries(targets)) {
      const group = `visibility ${level}`;
      if (!reach[level].includes(target as keyof typeof targets)) {
        add(group, `${level} naming a ${target} customer gets 404 Customer not found`, bearer(keys[level]), { customer: t.id }, notFound);
        continue;
      }
      const v = sees(level, target);
      const fields = (["message", "cost", "wholeSale", "price"] as const);
      add(group, `${level} on a ${target} customer sees ${fields.filter((f) => v[f]).join(", ")}`, bearer(keys[level]), { customer: t.id }, {
        status: 200,
        body: { offset: 0, limit: 100, total: t.total },
        every: { "messages[*].customer": t.id },
        present: fields.filter((f) => v[f]).map((f) => `messages[*].${f}`).concat(["messages[*]._id"]),
        absent: fields.filter((f) => !v[f]).map((f) => `messages[*].${f}`),
      });
    }
    add(`visibility ${level}`, `${level} naming an unknown customer gets 404`, bearer(keys[level]), { customer: nowhere() }, notFound);
  }
  for (const level of ["VIEWER", "MANAGER", "OWNER"] as const) {
    add(`visibility ${level}`, `${level} without customer gets its own project`, bearer(keys[level]), {}, {
      status: 200, body: { total: outgoing.length }, every: { "messages[*].customer": a1.id }, ...(level === "OWNER" ? {} : { absent: ["messages[*].message"] }),
    });
  }
  add("visibility RESELLER", "RESELLER without customer sees all its customers and its own project", bearer(keys.RESELLER), {}, {
    status: 200,
    body: { total: targets.own.total + targets["same-reseller"].total + targets["reseller-own"].total },
    sameSet: { "messages[*].customer": [...Array(targets.own.total).fill(a1.id), ...Array(targets["same-reseller"].total).fill(targets["same-reseller"].id), ...Array(targets["reseller-own"].total).fill(targets["reseller-own"].id)] },
  });
  add("visibility", "a key without an access level gets 403 access_denied", bearer(w.keys.a1ReadSms), {}, denied);

  // ── the message filter ────────────────────────────────────────────────────────────────────────
  const withText = (needle: string) => outgoing.filter((r) => r.smsText.toLowerCase().includes(needle.toLowerCase())).length;
  add("message filter", "VIEWER may not filter by message", bearer(keys.VIEWER), { message: "conformance" }, denied);
  add("message filter", "MANAGER may not filter by message", bearer(keys.MANAGER), { message: "conformance" }, denied);
  add("message filter", "OWNER filters its own messages case-insensitively", bearer(keys.OWNER), { message: "CONFORMANCE" }, { status: 200, body: { total: withText("conformance") } });
  add("message filter", "RESELLER may not filter a customer's messages", bearer(keys.RESELLER), { customer: a1.id, message: "conformance" }, denied);
  add("message filter", "RESELLER may not filter across its customers", bearer(keys.RESELLER), { message: "conformance" }, denied);
  add("message filter", "RESELLER filters its own project's messages", bearer(keys.RESELLER), { customer: w.projects.ra.id, message: "reseller-own" }, { status: 200, body: { total: w.projects.ra.sms.length } });
  add("message filter", "ADMIN filters any customer's messages", bearer(keys.ADMIN), { customer: a1.id, message: "100%" }, { status: 200, body: { total: withText("100%") } });

  // ── order, filters, names ───────────────────────────────────────────────────────────────────
  const owner = bearer(keys.OWNER);
  const expectRows = (rows: Row[]): Expect => ({
    status: 200,
    body: { total: rows.length },
    values: {
      "messages[*]._id": rows.map(id),
      "messages[*].to[*]": rows.map((r) => `+${digits(r.toNumber)}`),
      "messages[*].from": rows.map((r) => r.senderName ?? `+${digits(r.fromNumber)}`),
      "messages[*].sent": rows.map((r) => r.sentAt),
    },
  });
  add("sms list", "newest first by creation, with to, from and sent as documented", owner, {}, expectRows(newestFirst(outgoing)));
  add("sms list", "sort=SENT orders by sent time, unsent last", owner, { sort: "SENT" }, expectRows(newestFirst(outgoing, "sentAt")));
  add("sms list", "sort=INVOICED orders by invoice time, uninvoiced last", owner, { sort: "INVOICED" }, { status: 200, values: { "messages[*]._id": newestFirst(outgoing, "invoicedAt").map(id) } });
  const inMonths = (rows: Row[], key: "createdAt" | "sentAt") => rows.filter((r) => r[key] !== null && r[key]! >= "2024-03" && r[key]! < "2024-05");
  add("sms list", "fromDate/toDate are whole months, inclusive", owner, { fromDate: "2024-03", toDate: "2024-04" }, expectRows(newestFirst(inMonths(outgoing, "createdAt"))));
  add("sms list", "date filters apply to the sort timestamp and exclude nulls", owner, { fromDate: "2024-03", toDate: "2024-04", sort: "SENT" }, expectRows(newestFirst(inMonths(outgoing, "sentAt"), "sentAt")));
  const toMatches = newestFirst(outgoing.filter((r) => digits(r.toNumber) === "4581808888"));
  add("sms list", "to matches through digits", owner, { to: "+4581808888" }, expectRows(toMatches));
  out.push({ dialect: "telecomx", group: "sms list", name: "a + that arrives URL-decoded as a space is a +", request: { method: "GET", path: "/sms?to=+4581808888", headers: owner }, expect: expectRows(toMatches) });
  const shop = outgoing.find((r) => r.senderName)!;
  add("sms list", "from matches a sender name case-insensitively", owner, { from: shop.senderName!.toUpperCase() }, expectRows([shop]));
  const numbered = outgoing.find((r) => r.fromNumber)!;
  add("sms list", "from matches a sender number through digits", owner, { from: digits(numbered.fromNumber) }, expectRows([numbered]));
  const named = newestFirst(outgoing.filter((r) => r.withNames));
  add("sms list", "names=true adds fromName (a string) and toName (an array)", owner, { names: true }, {
    status: 200,
    sameSet: { "messages[*].fromName": named.map(() => "Anders And"), "messages[*].toName[*]": named.map(() => "Rip") },
  });
  add("sms list", "without names there are no names", owner, {}, { status: 200, absent: ["messages[*].fromName", "messages[*].toName", "messages[*].groupName"] });
  add("seed example", "smsList ?offset=100&limit=100&sort=SENT: an empty page past the end with the total", bearer(keys.ADMIN), { customer: a1.id, ...Object.fromEntries(new URLSearchParams(seeds.telecomx.smsList.query)) }, {
    status: 200, body: { offset: 100, limit: 100, total: outgoing.length, messages: [] },
  });
  add("seed example", "smsList as ADMIN with names: the seed's message shape", bearer(keys.ADMIN), { customer: a1.id, names: true, to: "+4581808888", limit: 100 }, {
    status: 200, present: ["messages[*]._id", "messages[*].customer", "messages[*].type", "messages[*].from", "messages[*].to", "messages[*].cost", "messages[*].price", "messages[*].wholeSale"],
    every: { "messages[*].type": "SMS" },
  });
  add("tenant isolation", "a number shared with another tenant returns only own rows", bearer(keys.VIEWER), { to: "+4581808888" }, { status: 200, body: { total: toMatches.length }, every: { "messages[*].customer": a1.id } });

  // ── pagination ────────────────────────────────────────────────────────────────────────────────
  out.push({
    dialect: "telecomx", group: "pagination", name: "pages of 6: total constant, no duplicates, no gaps, same order",
    run: async (send) => {
      const problems: string[] = [];
      const get = async (offset: number, limit: number) => expectStatus(await send({ method: "GET", path: "/sms", headers: owner, query: { offset, limit } }), 200, `offset=${offset}`, problems);
      const whole = await get(0, 1000);
      const pages: string[][] = [];
      const totals: number[] = [];
      for (let offset = 0; offset < outgoing.length; offset += 6) {
        const p = await get(offset, 6);
        pages.push((p?.messages ?? []).map((m: { _id: string }) => m._id));
        totals.push(p?.total);
      }
      if (!problems.length) problems.push(...pagesInvariant(pages, whole.messages.map((m: { _id: string }) => m._id), totals, outgoing.length));
      return problems;
    },
  });
  add("pagination", "offset and limit are echoed", owner, { offset: 3, limit: 4 }, { status: 200, body: { offset: 3, limit: 4, total: outgoing.length }, values: { "messages[*]._id": newestFirst(outgoing).slice(3, 7).map(id) } });

  // ── invalid parameters and authentication ─────────────────────────────────────────────────────
  const bad: Expect = { status: 400, body: { error: "bad_request" } };
  for (const [name, query] of [
    ["limit 0", { limit: 0 }], ["limit 1001", { limit: 1001 }], ["a non-numeric limit", { limit: "many" }], ["offset -1", { offset: -1 }],
    ["an unknown sort", { sort: "NEWEST" }], ["a lower-case sort", { sort: "sent" }], ["month 13", { fromDate: "2024-13" }], ["a full date", { toDate: "2024-01-15" }],
    ["a non-boolean names", { names: "maybe" }], ["a to that is no phone", { to: "call me" }],
  ] as const) add("invalid parameters", `${name} is 400 bad_request`, owner, query, bad);
  add("authentication", "no key is 401 unauthorized", {}, {}, { status: 401, body: { error: "unauthorized" } });
  add("authentication", "an unknown key is 401", bearer("cl_" + "1".repeat(40)), {}, { status: 401, body: { error: "unauthorized" } });
  add("authentication", "a revoked key is 401", bearer(w.keys.a1Revoked), {}, { status: 401, body: { error: "unauthorized" } });
  add("authentication", "the Status200 ApiKey header is not the TelecomX scheme", { ApiKey: w.keys.a1Owner }, {}, { status: 401 });
  add("authentication", "a Basic scheme is 401", { Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }, {}, { status: 401 });
  return out;
}
