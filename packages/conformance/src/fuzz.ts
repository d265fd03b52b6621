import { randomUUID } from "node:crypto";
import type { Dialect } from "@commlog/contracts";
import type { HttpRequest, HttpResponse } from "./http.js";
import type { World } from "./provisioning.js";
import { brief, type FlowScenario } from "./scenario.js";
import type { DialectContract, Operation, Parameter } from "./validation.js";

/** A small seeded PRNG (mulberry32): the same seed yields the same cases. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 240)}…(${s.length} chars)…${s.slice(-40)}` : s);
const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
const PHONE = /\(\?=/;
const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-%";

/** Generates a value meant to match a JSON schema of the document (the validator is the judge). */
class Generator {
  /** Use the hints every time (the bad-input classes build minimal requests that must reach project F). */
  alwaysHints = false;
  /** When set, every date-time the generator makes is this value (so related timestamps agree). */
  dateOverride: string | undefined;

  constructor(private readonly contract: DialectContract, private readonly rng: Rng, private readonly hints: Record<string, () => unknown>) {}

  hinted(name: string): boolean {
    return Object.hasOwn(this.hints, name);
  }

  value(schema: any, depth = 0, name?: string): unknown {
    const { rng } = this;
    if (name && this.hints[name] && (this.alwaysHints || rng.chance(0.9))) return this.hints[name]!();
    schema = this.contract.resolve(schema) ?? {};
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return rng.pick(schema.enum);
    if (schema.anyOf || schema.oneOf) return this.value(rng.pick(schema.anyOf ?? schema.oneOf), depth, name);
    if (schema.allOf) {
      // `allOf: [ref]` plus local constraints (e.g. `minLength`): the local ones win.
      const merged = Object.assign({}, ...schema.allOf.map((part: object) => this.contract.resolve(part)), stripDoc(schema));
      return this.value(merged, depth, name);
    }
    const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
    switch (type) {
      case "object": {
        const out: Record<string, unknown> = {};
        const required: string[] = schema.required ?? [];
        for (const [key, sub] of Object.entries(schema.properties ?? {})) {
          if (required.includes(key) || (depth < 3 && rng.chance(depth === 0 ? 0.5 : 0.3))) out[key] = this.value(sub, depth + 1, key);
        }
        return out;
      }
      case "array": {
        const n = rng.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + 3));
        return Array.from({ length: n }, () => this.value(schema.items ?? {}, depth + 1));
      }
      case "integer": {
        const min = schema.minimum ?? (rng.chance(0.2) ? -5 : 0);
        const max = Math.min(schema.maximum ?? min + 1000, min + 100_000);
        return rng.chance(0.2) ? rng.pick([min, max]) : rng.int(min, max);
      }
      case "number": {
        const min = schema.minimum ?? 0;
        return Math.round((min + rng.next() * 100) * 100) / 100;
      }
      case "boolean":
        return rng.chance(0.5);
      case "null":
        return null;
      case "string":
        return this.string(schema);
      default:
        return rng.pick(["x", 1, true, null]);
    }
  }

  private string(schema: any): string {
    const { rng } = this;
    if (schema.format === "uuid" || /\[0-9a-fA-F\]\{8\}/.test(schema.pattern ?? "")) return randomUUID();
    if (schema.format === "date-time" && this.dateOverride !== undefined) return this.dateOverride;
    if (schema.format === "date-time") return new Date(Date.UTC(2023, 0, 1) + rng.int(0, 3 * 365 * 86400) * 1000 + rng.int(0, 999)).toISOString();
    if (schema.pattern && PHONE.test(schema.pattern)) return rng.pick(["+45 81 80 88 88", "+4581808888", "4581808888", "+1 (555) 123-4567", `+4522${rng.int(100000, 999999)}`]);
    if (schema.pattern === "^\\d{4}-(0[1-9]|1[0-2])$") return `20${rng.int(20, 26)}-${String(rng.int(1, 12)).padStart(2, "0")}`;
    if (schema.pattern === "^[0-9]+$") return String(rng.int(0, 10_000));
    if (schema.pattern) {
      // Any other pattern: the first of a few common shapes that it accepts.
      let re: RegExp | undefined;
      try {
        re = new RegExp(schema.pattern, "u");
      } catch {
        /* not a JavaScript regex: fall through */
      }
      const shapes = [String(rng.int(1, 10_000)), `20${rng.int(20, 26)}-${String(rng.int(1, 12)).padStart(2, "0")}`, Array.from({ length: 8 }, () => rng.pick([...letters.slice(0, 52)])).join("")];
      const fit = re && shapes.find((x) => re.test(x));
      if (fit !== undefined) return fit;
    }
    const min = schema.minLength ?? 0;
    const max = Math.min(schema.maxLength ?? 24, min + 24);
    return Array.from({ length: rng.int(min, max) }, () => rng.pick([...letters])).join("");
  }
}

const stripDoc = (s: any) => {
  const { allOf: _a, description: _d, ...rest } = s;
  return rest;
};

/** The ways an invalid request is made: one mutation of a valid one. */
const mutations = [
  "wrong type", "unknown field", "__proto__ key", "huge string", "missing property", "bad enum", "bad date", "bad uuid", "out-of-range number",
  "bad query parameter", "bad path id", "missing auth", "garbled auth", "wrong auth scheme", "malformed JSON", "non-JSON content type",
] as const;
type Mutation = (typeof mutations)[number];

interface Case {
  request: HttpRequest;
  /** Whether the request is valid by the document (body and parameters), as Ajv judges it. */
  valid: boolean;
  label: string;
}

/** The nodes of a JSON value with their parents, for one-at-a-time mutations. */
function nodes(value: unknown, path: (string | number)[] = []): Array<{ path: (string | number)[]; value: unknown }> {
  const out = [{ path, value }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodes(v, [...path, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...nodes(v, [...path, k]));
  return out;
}
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const copy = structuredClone(root) as any;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p];
  node[path.at(-1)!] = value;
  return copy;
}
function deleteAt(root: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(root) as any;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p];
  if (Array.isArray(node)) node.splice(Number(path.at(-1)), 1);
  else delete node[path.at(-1)!];
  return copy;
}

export interface FuzzOptions {
  world: World;
  contracts: Record<Dialect, DialectContract>;
  adminToken: string;
  dialects: Dialect[];
  seed: number;
  cases: number;
}

/**
 * Schema-driven fuzzing: per operation, valid requests generated from the OpenAPI document and
 * invalid ones (one mutation of a valid request). Valid: no 5xx, a documented status, a conformant
 * body. Invalid: a documented 4xx, and for writes nothing changed (compared through the read APIs).
 */
export function fuzzScenarios(options: FuzzOptions): FlowScenario[] {
  const { world, contracts, adminToken, seed } = options;
  const f = world.projects.f;
  const weight = (op: Operation) => (op.dialect === "telecomx" || op.dialect === "exolve" ? 12 : op.dialect === "internal" ? 2 : 1);
  const ops = options.dialects.flatMap((d) => contracts[d].operations);
  const totalWeight = ops.reduce((a, op) => a + weight(op), 0);
  const scenarios: FlowScenario[] = [];
  const selectCache = new Map<string, Record<string, true>>();
  for (const op of ops) {
    const n = Math.max(1, Math.round((options.cases * weight(op)) / totalWeight));
    scenarios.push({
      dialect: op.dialect,
      group: "fuzz",
      name: `${op.operationId} (${op.method} ${op.path}): ${n} generated requests`,
      run: (send) => fuzzOperation(op, n, send),
    });
  }
  if (options.cases > 0) scenarios.push(...badInputScenarios({ ops, contracts, world, seed, isWrite: isWriteOp, auth: authHeaders, snapshot: snapshotF }));
  return scenarios;

  async function fuzzOperation(op: Operation, n: number, send: (r: HttpRequest) => Promise<HttpResponse>): Promise<string[]> {
    const contract = contracts[op.dialect];
    const rng = prng(hash(`${seed}:${op.operationId}`));
    const hints: Record<string, () => unknown> = {
      projectId: () => f.id,
      incomingCallLogId: () => f.calls[0],
      resellerId: () => world.resellerA.id,
      customer: () => rng.pick([f.id, randomUUID(), "123457890ABCDEF12345678"]),
      name: () => `${world.runId} fuzz ${rng.int(0, 1e6)}`,
    };
    const gen = new Generator(contract, rng, hints);
    const problems: string[] = [];
    const writeOnlyInvalid = op.dialect === "internal";
    const guard = writeGuard(isWriteOp(op), () => snapshotF(send), problems);
    await guard.start();
    for (let k = 0; k < n; k++) {
      const base = validRequest(op, gen, rng);
      let c: Case = { request: base, valid: isValid(op, contract, base), label: "generated" };
      if (writeOnlyInvalid || rng.chance(0.6)) {
        let mutated: Case | undefined;
        for (let attempt = 0; attempt < 6 && !mutated; attempt++) {
          const m = mutate(op, base, rng.pick(mutations), rng);
          if (m && !isValid(op, contract, m.request)) mutated = { ...m, valid: false };
        }
        if (!mutated) {
          if (writeOnlyInvalid) continue;
        } else c = mutated;
      }
      if (op.method === "DELETE" || op.operationId.includes("delete")) {
        // Never delete real rows with a valid request: only names that resolve to nothing.
        if (c.valid) c = { ...c, request: { ...c.request, path: op.path.replace("{id}", randomUUID()) } };
      }
      if (c.valid) await guard.beforeAcceptable();
      const res = await send(c.request);
      const where = clip(`case ${k} [${c.label}] ${c.request.method} ${c.request.path}${c.request.query ? `?${new URLSearchParams(c.request.query as Record<string, string>)}` : ""} ${c.request.rawBody !== undefined ? brief(c.request.rawBody.slice(0, 200)) : c.request.body !== undefined ? brief(c.request.body) : ""}`);
      if (!c.valid) {
        if (res.status < 400 || res.status >= 500) problems.push(`${where}: an invalid request answered ${res.status} (expected a documented 4xx): ${res.text.slice(0, 160)}`);
        if (c.label.endsWith("auth") && res.status !== 401) problems.push(`${where}: expected 401, got ${res.status}`);
      }
      await guard.after(res, where);
      if (problems.length >= 10) break;
    }
    await guard.finish();
    return problems;
  }

  /** Whether an operation writes: the internal API, and Status200 operations only owners may call. */
  function isWriteOp(op: Operation): boolean {
    return op.dialect === "internal" || Boolean(op.access.anyOf?.includes("ProjectOwner") && !op.access.anyOf.includes("ProjectMember"));
  }

  /**
   * What writes could change in project F, read through the public read APIs: the counts, the most
   * recently updated rows of each Status200 resource with every plain field the contract lets one
   * select, and F's API keys.
   */
  async function snapshotF(send: (r: HttpRequest) => Promise<HttpResponse>): Promise<string> {
    const s200 = { ApiKey: world.keys.fOwner };
    const recent = (resource: string) => ({
      method: "POST", path: `/api/${resource}/get-list`, query: { limit: 20 }, headers: s200,
      body: { select: selectAll(resource), sort: { updatedAt: -1, _id: 1 } },
    });
    const parts = await Promise.all([
      send({ method: "POST", path: "/api/incoming-call-log-item/count", headers: s200, body: {} }),
      send({ method: "POST", path: "/api/incoming-call-log/count", headers: s200, body: {} }),
      send({ method: "POST", path: "/api/sms-log/count", headers: s200, body: {} }),
      send({ method: "POST", path: "/messaging/v1/GetCount", headers: { Authorization: `Bearer ${world.keys.fOwner}` }, body: {} }),
      send({
        method: "POST", path: `/api/incoming-call-log-item/${f.items[0] ?? randomUUID()}/get-item`, headers: s200,
        body: { select: { status: true, statusMessage: true, isAnswered: true, callCostInUSDCents: true, dialDurationInSeconds: true, startedAt: true, endedAt: true } },
      }),
      ...["sms-log", "incoming-call-log", "incoming-call-log-item"].map((r) => send(recent(r))),
      send({ method: "GET", path: "/internal/v1/api-keys", query: { projectId: f.id }, headers: { Authorization: `Bearer ${adminToken}` } }),
    ]);
    return JSON.stringify(parts.map((p) => [p.status, p.json]));
  }

  /** `{field: true}` for every boolean-selectable field of a Status200 resource's list request. */
  function selectAll(resource: string): Record<string, true> {
    const cached = selectCache.get(resource);
    if (cached) return cached;
    const op = contracts.status200.match("POST", `/api/${resource}/get-list`);
    const request = contracts.status200.resolve(op?.requestSchema);
    const select = flatSchema(contracts.status200, request?.properties?.select);
    const fields = Object.entries(select?.properties ?? {}).filter(([, v]) => (v as { type?: string }).type === "boolean").map(([k]) => [k, true] as const);
    const out = Object.fromEntries(fields) as Record<string, true>;
    selectCache.set(resource, out);
    return out;
  }

  function authHeaders(op: Operation): Record<string, string> {
    if (op.dialect === "internal") return { Authorization: `Bearer ${adminToken}` };
    if (op.dialect === "status200") return { ApiKey: world.keys.fOwner };
    return { Authorization: `Bearer ${world.keys.fOwner}` };
  }

  function validRequest(op: Operation, gen: Generator, rng: Rng): HttpRequest {
    const ids: Record<string, () => string> = {
      "sms-log": () => rng.pick([f.sms[0]?._id ?? randomUUID(), randomUUID()]),
      "incoming-call-log": () => rng.pick([f.calls[0] ?? randomUUID(), randomUUID()]),
      "incoming-call-log-item": () => rng.pick([f.items[0] ?? randomUUID(), randomUUID()]),
    };
    const resource = op.path.split("/")[2] ?? "";
    const path = op.path.replace("{id}", ids[resource]?.() ?? (op.path.includes("api-keys") ? randomUUID() : f.id));
    const query: Record<string, string> = {};
    for (const p of op.parameters.filter((x) => x.in === "query")) if (p.required || rng.chance(0.5)) query[p.name] = String(gen.value(p.schema, 1, p.name));
    const body = op.requestSchema && (op.method !== "GET" || rng.chance(0.3)) ? gen.value(op.requestSchema) : undefined;
    return { method: op.method, path, headers: authHeaders(op), ...(Object.keys(query).length ? { query } : {}), ...(body !== undefined ? { body } : {}) };
  }

  function mutate(op: Operation, base: HttpRequest, how: Mutation, rng: Rng): Omit<Case, "valid"> | undefined {
    const label = how;
    const withBody = (body: unknown) => ({ request: { ...base, body }, label });
    const body = base.body;
    const all = body !== undefined ? nodes(body) : [];
    const objects = all.filter((x) => x.value && typeof x.value === "object" && !Array.isArray(x.value));
    const leaves = all.filter((x) => x.path.length && (x.value === null || typeof x.value !== "object"));
    const strings = leaves.filter((x) => typeof x.value === "string");
    const numbers = leaves.filter((x) => typeof x.value === "number");
    switch (how) {
      case "wrong type": {
        if (!all.length) return undefined;
        const target = rng.pick(all);
        const replacement = typeof target.value === "string" ? rng.pick([42, true, [], {}]) : typeof target.value === "number" ? rng.pick(["12", true, null, []]) : rng.pick(["text", 3, false, []]);
        return withBody(setAt(body, target.path, replacement));
      }
      case "unknown field":
        return objects.length ? withBody(setAt(body, [...rng.pick(objects).path, `zz${rng.int(0, 999)}`], rng.pick([1, "x", null]))) : undefined;
      case "__proto__ key": {
        if (!objects.length) return undefined;
        const at = rng.pick(objects).path;
        const marker = "__MARKER__";
        const text = JSON.stringify(setAt(body, [...at, marker], { polluted: true, status: "x" })).replace(`"${marker}"`, '"__proto__"');
        return { request: { ...base, body: undefined, rawBody: text, headers: { ...base.headers, "Content-Type": "application/json" } }, label };
      }
      case "huge string": {
        const size = rng.pick([2_000, 200_000, 1_200_000]);
        if (strings.length) return withBody(setAt(body, rng.pick(strings).path, "x".repeat(size)));
        const qs = op.parameters.filter((p) => p.in === "query");
        return qs.length ? { request: { ...base, query: { ...(base.query ?? {}), [rng.pick(qs).name]: "9".repeat(Math.min(size, 6000)) } }, label } : undefined;
      }
      case "missing property": {
        const props = all.filter((x) => x.path.length && typeof x.path.at(-1) === "string");
        return props.length ? withBody(deleteAt(body, rng.pick(props).path)) : undefined;
      }
      case "bad enum":
        return strings.length ? withBody(setAt(body, rng.pick(strings).path, rng.pick(["NOT_A_VALUE", "delivered ", "Sent\u0000", "ÄÖÜ"]))) : undefined;
      case "bad date":
        return strings.length ? withBody(setAt(body, rng.pick(strings).path, rng.pick(["2024-13-01T00:00:00Z", "2024-02-30T10:00:00Z", "yesterday", "2024-01-01T25:61:00Z", "0000-00-00"]))) : undefined;
      case "bad uuid":
        return strings.length ? withBody(setAt(body, rng.pick(strings).path, rng.pick(["not-a-uuid", "123e4567-e89b-12d3-a456-42661417400", "g23e4567-e89b-12d3-a456-426614174000", "{}"]))) : undefined;
      case "out-of-range number": {
        const value = rng.pick([-1, -2147483649, 4294967296, 1.5, 1e308, -0.5, 9007199254740993]);
        if (numbers.length) return withBody(setAt(body, rng.pick(numbers).path, value));
        const qs = op.parameters.filter((p) => p.in === "query" && (p.schema as any).type === "integer");
        return qs.length ? { request: { ...base, query: { ...(base.query ?? {}), [rng.pick(qs).name]: String(value) } }, label } : undefined;
      }
      case "bad query parameter": {
        const qs = op.parameters.filter((p) => p.in === "query");
        if (!qs.length) return undefined;
        return { request: { ...base, query: { ...(base.query ?? {}), [rng.pick(qs).name]: rng.pick(["abc", "-1", "1e3", "", "2.5", "[]", "%00", "true"]) } }, label };
      }
      case "bad path id": {
        if (!op.path.includes("{id}")) return undefined;
        return { request: { ...base, path: op.path.replace("{id}", rng.pick(["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g", "%27%20OR%201%3D1", "x".repeat(300)])) }, label };
      }
      case "missing auth":
        return { request: { ...base, headers: {} }, label: "missing auth" };
      case "garbled auth": {
        const garbage = rng.pick(["\u00e9\u00e8 garbage", "Bearer", "null", "cl_" + "z".repeat(60), " ", "Bearer Bearer x"]);
        return { request: { ...base, headers: op.dialect === "status200" ? { ApiKey: garbage } : { Authorization: garbage.startsWith("Bearer") ? garbage : `Bearer ${garbage}` } }, label: "garbled auth" };
      }
      case "wrong auth scheme": {
        const secret = op.dialect === "internal" ? adminToken : world.keys.fOwner;
        return { request: { ...base, headers: op.dialect === "status200" ? { Authorization: `Bearer ${secret}` } : { ApiKey: secret } }, label: "wrong auth scheme" };
      }
      case "malformed JSON": {
        if (!op.requestSchema || op.method === "GET") return undefined;
        const text = JSON.stringify(body ?? {});
        return { request: { ...base, body: undefined, rawBody: text.slice(0, Math.max(1, text.length - 1)) + rng.pick(["", ",", "}}", "\u0000"]), headers: { ...base.headers, "Content-Type": "application/json" } }, label };
      }
      case "non-JSON content type": {
        if (!op.requestSchema || op.method === "GET") return undefined;
        return { request: { ...base, body: undefined, rawBody: JSON.stringify(body ?? {}), headers: { ...base.headers, "Content-Type": rng.pick(["text/plain", "application/x-www-form-urlencoded", "application/xml"]) } }, label };
      }
    }
  }
}

/** Whether a request is valid by the document: auth present, parameters and body match their schemas. */
function isValid(op: Operation, contract: DialectContract, req: HttpRequest): boolean {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  if (op.access.scheme === "ApiKey" && !headers.apikey) return false;
  if (op.access.scheme !== "ApiKey" && !/^Bearer \S+$/.test(headers.authorization ?? "")) return false;
  if (headers.apikey !== undefined && !/^[\x21-\x7e]+$/.test(headers.apikey)) return false;
  if (headers.authorization !== undefined && !/^Bearer [\x21-\x7e]+$/.test(headers.authorization)) return false;
  if (/garbage|^Bearer$|^null$|z{60}|Bearer Bearer/.test(headers.apikey ?? headers.authorization ?? "")) return false;
  const ct = headers["content-type"];
  if (ct && !/^application\/json\b/i.test(ct)) return false;
  const id = pathId(op, req.path);
  if (id !== undefined) {
    const param = op.parameters.find((p) => p.in === "path");
    if (param && !contract.check(param.schema, id).valid) return false;
  }
  for (const [name, raw] of Object.entries(req.query ?? {})) {
    const param = op.parameters.find((p) => p.in === "query" && p.name === name);
    if (!param || !paramValid(contract, param, String(raw))) return false;
  }
  let body: unknown = req.body;
  if (req.rawBody !== undefined) {
    if (req.rawBody.includes('"__proto__"')) return false;
    try {
      body = JSON.parse(req.rawBody);
    } catch {
      return false;
    }
  }
  if (JSON.stringify(body ?? "").length > 1_000_000) return false;
  if (body !== undefined && op.requestSchema && !contract.check(op.requestSchema, body).valid) return false;
  if (body !== undefined && !op.requestSchema && op.method !== "GET" && op.method !== "DELETE") return false;
  return true;
}

function pathId(op: Operation, path: string): string | undefined {
  const [before, after] = op.path.split("{id}");
  if (after === undefined || !path.startsWith(before!) || !path.endsWith(after)) return undefined;
  return decodeURIComponent(path.slice(before!.length, path.length - after.length));
}

function paramValid(contract: DialectContract, param: Parameter, raw: string): boolean {
  const schema = contract.resolve(param.schema);
  let value: unknown = raw;
  if (schema.type === "integer") {
    if (!/^-?\d+$/.test(raw)) return false;
    value = Number(raw);
  } else if (schema.type === "boolean") {
    if (raw !== "true" && raw !== "false") return false;
    value = raw === "true";
  }
  return contract.check(param.schema, value).valid;
}

// ─── Bad-input classes (SPEC §10) ────────────────────────────────────────────────────────────────
//
// Besides the random cases, every fuzzed operation gets systematic probes of the classes SPEC §10
// decides, each field found in the OpenAPI document at run time (never a list of field names):
// U+0000 in every string field, integers at and one beyond each stated bound, timestamps at the
// edges of years 0001..9999 UTC (extreme offsets included), and bogus Content-Encoding; and, where
// the fuzzer provisions data, two concurrent replays of one ingest batch. A refused write must have
// written nothing (the project-F snapshot through the read APIs), as for the random cases.

/** A schema with its `$ref`s resolved and its `allOf` parts merged (local keywords win); undefined on a cycle. */
function flatSchema(contract: DialectContract, schema: any, seen: string[] = []): any {
  let s = schema;
  while (s && typeof s === "object" && typeof s.$ref === "string") {
    if (seen.includes(s.$ref)) return undefined;
    seen.push(s.$ref);
    let node: any = contract.document;
    for (const part of (s.$ref as string).replace(/^#\//, "").split("/")) node = node?.[part];
    s = node;
  }
  if (s && typeof s === "object" && Array.isArray(s.allOf)) {
    const parts = s.allOf.map((p: object) => flatSchema(contract, p, seen));
    if (parts.includes(undefined)) return undefined;
    return Object.assign({}, ...parts, stripDoc(s));
  }
  return s;
}

const typesOf = (s: any): string[] => (Array.isArray(s?.type) ? s.type : s?.type ? [s.type] : []);

/** One step from a schema to a value inside it. */
type Step = { prop: string } | { branch: number } | { items: true };

/** A place in a schema where a value of the wanted kind goes, and that value's schema. */
interface Leaf {
  steps: Step[];
  schema: any;
}

/** A field of a request: a body property (its union alternatives as leaves), a query parameter or the path id. */
interface Field {
  in: "body" | "query" | "path";
  /** The body property path up to its first union (`query.smsText`, `messages[*].toNumber`), or the parameter name. */
  name: string;
  leaves: Leaf[];
}

/** Every leaf under a schema that `want` accepts, through unions, objects and arrays (only unions when `nested` is false). */
function leavesOf(contract: DialectContract, schema: any, want: (s: any) => boolean, nested: boolean): Leaf[] {
  const out: Leaf[] = [];
  const visit = (node: any, steps: Step[], seen: string[]) => {
    if (out.length >= 5000 || steps.length > 12) return;
    const mine = [...seen];
    const s = flatSchema(contract, node, mine);
    if (!s || typeof s !== "object") return;
    const union = s.anyOf ?? s.oneOf;
    if (Array.isArray(union)) {
      union.forEach((branch: unknown, i: number) => visit(branch, [...steps, { branch: i }], mine));
      return;
    }
    if (want(s)) {
      out.push({ steps, schema: s });
      return;
    }
    if (!nested) return;
    const types = typesOf(s);
    if (types.includes("object")) for (const [k, v] of Object.entries(s.properties ?? {})) visit(v, [...steps, { prop: k }], mine);
    if (types.includes("array") && s.items) visit(s.items, [...steps, { items: true }], mine);
  };
  visit(schema, [], []);
  return out;
}

/** The property path of a leaf up to its first union: the field a client fills in. */
function fieldName(steps: Step[]): string {
  let name = "";
  for (const step of steps) {
    if ("branch" in step) break;
    name += "prop" in step ? `${name ? "." : ""}${step.prop}` : "[*]";
  }
  return name || "(body)";
}

/** The fields of an operation whose values `want` accepts: body properties, query parameters, the path id. */
function fieldsOf(contract: DialectContract, op: Operation, want: (s: any) => boolean): Field[] {
  const fields: Field[] = [];
  if (op.requestSchema) {
    const byName = new Map<string, Leaf[]>();
    for (const leaf of leavesOf(contract, op.requestSchema, want, true)) {
      const name = fieldName(leaf.steps);
      byName.set(name, [...(byName.get(name) ?? []), leaf]);
    }
    for (const [name, leaves] of byName) fields.push({ in: "body", name, leaves });
  }
  for (const p of op.parameters) {
    if (p.in !== "query" && p.in !== "path") continue;
    const leaves = leavesOf(contract, p.schema, want, false);
    if (leaves.length) fields.push({ in: p.in, name: p.name, leaves });
  }
  return fields;
}

/** A JSON number written exactly as given (integers beyond 2^53, decimals one step past a bound). */
class RawNumber {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}
/** Where a probe's value goes in a request template. */
const HOLE = Symbol("value");
/** Every date-time a template's generator makes: replaced by the probed timestamp, so related timestamps agree. */
const DATE_TOKEN = "@@probe-date@@";

/** The template with the value put in (at the hole, and for every date-time token when the value is a timestamp). */
function fill(template: unknown, value: unknown, isDate: boolean): unknown {
  if (template === HOLE) return value;
  if (isDate && template === DATE_TOKEN) return value;
  if (Array.isArray(template)) return template.map((v) => fill(v, value, isDate));
  if (template && typeof template === "object" && !(template instanceof RawNumber)) {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, value, isDate)]));
  }
  return template;
}

/** A request whose body may hold RawNumbers: those are spliced into the JSON text exactly. */
function finishRequest(req: HttpRequest): HttpRequest {
  const raws: string[] = [];
  const text = req.body === undefined ? undefined : JSON.stringify(req.body, (_k, v) => (v instanceof RawNumber ? `@@raw${raws.push(v.text) - 1}@@` : v));
  if (!raws.length || text === undefined) return req;
  const rawBody = text.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
  const { body: _body, ...rest } = req;
  return { ...rest, rawBody, headers: { ...rest.headers, "Content-Type": "application/json" } };
}

/** One request of a class and what it must get. */
interface Probe {
  what: string;
  request: HttpRequest;
  /**
   * `refuse`: exactly this status (and nothing written); `accept`: anything but a 5xx or a 400 — and
   * a 400 only fails when `control` (the same request with an ordinary value) is not a 400 too;
   * `like`: the same status (and for reads the same body) as this plain request.
   */
  expect: { refuse: number } | { accept: true; control?: HttpRequest } | { like: HttpRequest };
}

/** The classes, in the order they run; each is one scenario per operation (group `fuzz: <class>`). */
const classes = [
  { id: "nul", group: "fuzz: U+0000", title: "U+0000 in every string field → 400, nothing written" },
  { id: "bounds", group: "fuzz: integer bounds", title: "integers at each stated bound accepted, one beyond → 400" },
  { id: "timestamps", group: "fuzz: timestamp range", title: "timestamps inside 0001..9999 UTC accepted, outside → 400" },
  { id: "encoding", group: "fuzz: Content-Encoding", title: "undecodable body → 400, unknown coding → 415, valid gzip/deflate/br → as plain" },
] as const;

/** Per class and operation at most this many fields (sampled from the seed when an operation has more). */
const fieldCaps = { nul: 40, bounds: 30, timestamps: 12 } as const;

/** Timestamps whose UTC instant lies inside years 0001..9999, and ones outside (SPEC §10). */
const insideTimestamps = ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "0001-01-01T00:10:00-01:00", "9999-12-31T23:30:00+01:00"];
const outsideTimestamps = ["10000-01-01T00:00:00.000Z", "9999-12-31T23:30:00-01:00", "0001-01-01T00:10:00+01:00", "0000-12-31T23:59:59Z"];

/** An ordinary timestamp on the same side of now as `ts`: the control of an accepted-side probe. */
const controlTimestamp = (ts: string) => (ts.startsWith("0") ? "2000-01-01T00:00:00.000Z" : new Date(Date.now() + 365 * 86_400_000).toISOString());

const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

/** The stated bounds of a numeric schema, at the bound and one step beyond (integers: 1; decimals: the bound's last digit). */
function boundsOf(s: any): Array<{ side: "minimum" | "maximum"; at: string; beyond: string }> {
  const integer = typesOf(s).includes("integer");
  if (!integer && !typesOf(s).includes("number")) return [];
  const implied = s.format === "int32" ? INT32 : s.format === "int64" ? INT64 : undefined;
  const out: Array<{ side: "minimum" | "maximum"; at: string; beyond: string }> = [];
  const decimals = (n: number) => (/e/i.test(String(n)) ? -1 : (String(n).split(".")[1] ?? "").length);
  const step = (bound: number, other: number | undefined) => Math.max(decimals(bound), other === undefined ? 0 : decimals(other));
  const shift = (bound: number | bigint, places: number, delta: bigint): string => {
    if (typeof bound === "bigint") return String(bound + delta);
    const [whole, frac = ""] = String(bound).split(".");
    const scaled = BigInt(`${whole}${frac.padEnd(places, "0")}`) + delta;
    if (!places) return String(scaled);
    const neg = scaled < 0n;
    const digits = String(neg ? -scaled : scaled).padStart(places + 1, "0");
    return `${neg ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
  };
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? undefined : implied?.[0]);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? undefined : implied?.[1]);
  const places = integer ? 0 : step(typeof lo === "number" ? lo : 0, typeof hi === "number" ? hi : undefined);
  if (places < 0) return [];
  if (lo !== undefined) out.push({ side: "minimum", at: shift(lo, places, 0n), beyond: shift(lo, places, -1n) });
  else if (typeof s.exclusiveMinimum === "number" && integer) out.push({ side: "minimum", at: shift(s.exclusiveMinimum, 0, 1n), beyond: shift(s.exclusiveMinimum, 0, 0n) });
  if (hi !== undefined) out.push({ side: "maximum", at: shift(hi, places, 0n), beyond: shift(hi, places, 1n) });
  else if (typeof s.exclusiveMaximum === "number" && integer) out.push({ side: "maximum", at: shift(s.exclusiveMaximum, 0, -1n), beyond: shift(s.exclusiveMaximum, 0, 0n) });
  return out;
}

/** A JSON value for a numeric text: a number when exact, a RawNumber otherwise. */
function numberValue(text: string): number | RawNumber {
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text && (!Number.isInteger(n) || Number.isSafeInteger(n)) ? n : new RawNumber(text);
}

/** An ordinary value inside a numeric schema's bounds, for controls. */
function ordinaryNumber(s: any): string {
  const bounds = boundsOf(s);
  const lo = Number(bounds.find((b) => b.side === "minimum")?.at ?? 0);
  const hi = Number(bounds.find((b) => b.side === "maximum")?.at ?? lo + 10);
  return String(Math.min(hi, Math.max(lo, Math.max(lo + 1, 1))));
}

/** A request with a hole where a probe's value goes (in the body, a query parameter or the path id). */
interface Template {
  req: HttpRequest;
  query: Record<string, unknown>;
  id: unknown;
}

interface ClassContext {
  ops: Operation[];
  contracts: Record<Dialect, DialectContract>;
  world: World;
  seed: number;
  isWrite: (op: Operation) => boolean;
  auth: (op: Operation) => Record<string, string>;
  snapshot: (send: (r: HttpRequest) => Promise<HttpResponse>) => Promise<string>;
}

const isDeleteOp = (op: Operation) => op.method === "DELETE" || /delete/i.test(op.operationId);
const isFreeString = (s: any) => typesOf(s).includes("string") && s.enum === undefined && s.const === undefined;
const isBoundedNumber = (s: any) => boundsOf(s).length > 0;
const isTimestamp = (s: any) => typesOf(s).includes("string") && s.format === "date-time";

function badInputScenarios(ctx: ClassContext): FlowScenario[] {
  const { ops, contracts, world, seed } = ctx;
  const f = world.projects.f;
  const scenarios: FlowScenario[] = [];
  const documents400 = (op: Operation) => Boolean(op.responses["400"]);
  for (const cls of classes) {
    for (const op of ops) {
      if (!documents400(op)) continue;
      const contract = contracts[op.dialect];
      if (cls.id === "encoding" && !(op.requestSchema && op.method !== "GET")) continue;
      if (cls.id !== "encoding") {
        const want = cls.id === "nul" ? isFreeString : cls.id === "bounds" ? isBoundedNumber : isTimestamp;
        if (!fieldsOf(contract, op, want).length) continue;
      }
      scenarios.push({
        dialect: op.dialect,
        group: cls.group,
        name: `${op.operationId} (${op.method} ${op.path}): ${cls.title}`,
        run: (send) => runProbes(op, probesFor(cls.id, op), send),
      });
    }
  }
  const ingest = contracts.internal.match("POST", "/internal/v1/sms");
  if (ingest && ops.includes(ingest)) {
    scenarios.push({
      dialect: "internal",
      group: "fuzz: concurrent replays",
      name: `${ingest.operationId} (POST ${ingest.path}): two concurrent replays of one batch → both 200, each message written once, the same ids`,
      run: (send) => concurrentReplays(ingest, send),
    });
  }
  return scenarios;

  function generator(op: Operation, rng: Rng): Generator {
    const hints: Record<string, () => unknown> = {
      projectId: () => f.id,
      incomingCallLogId: () => f.calls[0],
      resellerId: () => world.resellerA.id,
      customer: () => f.id,
      name: () => `${world.runId} fuzz ${rng.int(0, 1e6)}`,
      _id: () => f.sms[0]?._id ?? randomUUID(),
    };
    const gen = new Generator(contracts[op.dialect], rng, hints);
    gen.alwaysHints = true;
    return gen;
  }

  /** The id a probe's path carries: a row of project F the operation can find, a fresh uuid for deletes. */
  function pathIdFor(op: Operation): string {
    if (isDeleteOp(op)) return randomUUID();
    const segments = op.path.split("/");
    const resource = segments[segments.indexOf("{id}") - 1] ?? "";
    const ids: Record<string, string | undefined> = {
      "sms-log": f.sms[0]?._id,
      "incoming-call-log": f.calls[0],
      "incoming-call-log-item": f.items[0],
      "incoming-call-logs": f.calls[0],
    };
    return ids[resource] ?? randomUUID();
  }

  /**
   * A minimal request template for one leaf: the required properties (and the optional ones that
   * point into project F, when valid), the hole on the leaf's path, the required query parameters.
   */
  function template(op: Operation, gen: Generator, field: Field | undefined, leaf: Leaf | undefined, isDate: boolean): Template {
    const contract = contracts[op.dialect];
    // Optional properties that name a row of project F (an SMS, a call) go in when the contract takes them:
    // they make writes land in F (deleted with the run) and webhooks find their message.
    const optionalInF = new Set(["projectId", "incomingCallLogId", "_id"]);
    const build = (schema: any, steps: Step[] | undefined, depth: number, name?: string): unknown => {
      if (steps && !steps.length) return HOLE;
      const s = flatSchema(contract, schema);
      const plainObject = s && typesOf(s).includes("object") && !s.anyOf && !s.oneOf && s.properties;
      if (!steps && name && gen.hinted(name)) return gen.value(schema, depth, name);
      if (!steps && s && !s.anyOf && !s.oneOf && typesOf(s).includes("array") && s.items) {
        // A minimal list: as many minimal items as it needs.
        return Array.from({ length: s.minItems ?? 0 }, () => build(s.items, undefined, depth + 1));
      }
      if (!steps && !plainObject) return gen.value(schema, depth, name);
      const [step, ...rest] = steps ?? [];
      if (step && "branch" in step) return build((s.anyOf ?? s.oneOf)[step.branch], rest, depth + 1, name);
      if (step && "items" in step) {
        const extra = Math.max(0, (s.minItems ?? 1) - 1);
        return [build(s.items, rest, depth + 1), ...Array.from({ length: extra }, () => build(s.items, undefined, depth + 1))];
      }
      const out: Record<string, unknown> = {};
      const required: string[] = s?.required ?? [];
      for (const [key, sub] of Object.entries((s?.properties ?? {}) as Record<string, any>)) {
        if (step && key === step.prop) out[key] = build(sub, rest, depth + 1, key);
        else if (required.includes(key)) out[key] = build(sub, undefined, depth + 1, key);
        else if (optionalInF.has(key)) {
          const v = gen.value(sub, depth + 1, key);
          if (contract.check(sub, v).valid) out[key] = v;
        }
      }
      return out;
    };
    gen.dateOverride = isDate ? DATE_TOKEN : undefined;
    try {
      let body: unknown;
      if (field?.in === "body" && leaf) body = build(op.requestSchema, leaf.steps, 0);
      else if (op.requestSchema && op.method !== "GET") body = build(op.requestSchema, undefined, 0);
      const query: Record<string, unknown> = {};
      for (const p of op.parameters.filter((x) => x.in === "query")) {
        if (field?.in === "query" && field.name === p.name) query[p.name] = HOLE;
        else if (p.required) query[p.name] = String(gen.value(p.schema, 1, p.name));
      }
      const req: HttpRequest = { method: op.method, path: op.path, headers: ctx.auth(op), ...(body !== undefined ? { body } : {}) };
      return { req, query, id: field?.in === "path" ? HOLE : pathIdFor(op) };
    } finally {
      gen.dateOverride = undefined;
    }
  }

  /** The template with a value put in: a concrete request. */
  function instantiate(t: Template, value: unknown, isDate: boolean): HttpRequest {
    const asText = (v: unknown) => String(v instanceof RawNumber ? v.text : v);
    const id = t.id === HOLE ? asText(value) : asText(t.id);
    const query = Object.fromEntries(Object.entries(t.query).map(([k, v]) => [k, v === HOLE ? asText(value) : asText(v)]));
    const req: HttpRequest = {
      ...t.req,
      path: t.req.path.replace("{id}", encodeURIComponent(id)),
      ...(Object.keys(query).length ? { query } : {}),
      ...(t.req.body !== undefined ? { body: fill(t.req.body, value, isDate) } : {}),
    };
    return finishRequest(req);
  }

  /** Whether an accepted-side probe may be sent: the internal API only writes into project F (which the run deletes). */
  function mayAccept(op: Operation, req: HttpRequest): boolean {
    if (op.dialect !== "internal" || op.method === "GET") return true;
    const text = `${req.path} ${req.rawBody ?? JSON.stringify(req.body ?? null)}`;
    return [f.id, ...f.calls].some((id) => text.includes(id)) && !/"platform":\s*true/.test(text);
  }

  /** Fields of one kind, sampled to the cap from the seed when there are more. */
  function pick<T>(rng: Rng, xs: T[], cap: number): T[] {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.length > cap ? copy.slice(0, cap) : xs;
  }

  function probesFor(cls: (typeof classes)[number]["id"], op: Operation): Probe[] {
    const contract = contracts[op.dialect];
    const rng = prng(hash(`${seed}:${op.operationId}:${cls}`));
    const gen = generator(op, rng);
    const probes: Probe[] = [];
    const valid = (r: HttpRequest) => isValid(op, contract, r);
    /** A template for a random leaf of the field whose request is valid with `ordinary(leaf)`; undefined when none is found. */
    const validTemplate = (field: Field, leaves: Leaf[], ordinary: (leaf: Leaf) => unknown, isDate: boolean) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const leaf = rng.pick(leaves);
        const t = template(op, gen, field, leaf, isDate);
        const value = ordinary(leaf);
        if (valid(instantiate(t, value, isDate))) return { t, leaf, value };
      }
      return undefined;
    };
    if (cls === "nul") {
      for (const field of pick(rng, fieldsOf(contract, op, isFreeString), fieldCaps.nul)) {
        const found = validTemplate(field, field.leaves, (leaf) => String(gen.value(leaf.schema, 1, field.name.split(".").pop())), false);
        if (!found) continue;
        const s = String(found.value);
        const mid = Math.floor(s.length / 2);
        const withNul = s.length ? `${s.slice(0, mid)}\u0000${s.slice(mid + 1)}` : "\u0000";
        probes.push({ what: `U+0000 in ${field.in} ${field.name}`, request: instantiate(found.t, withNul, false), expect: { refuse: 400 } });
      }
    } else if (cls === "bounds") {
      for (const field of pick(rng, fieldsOf(contract, op, isBoundedNumber), fieldCaps.bounds)) {
        const found = validTemplate(field, field.leaves, (leaf) => numberValue(ordinaryNumber(leaf.schema)), false);
        if (!found) continue;
        const control = instantiate(found.t, found.value, false);
        for (const b of boundsOf(found.leaf.schema)) {
          const at = instantiate(found.t, numberValue(b.at), false);
          if (mayAccept(op, at)) probes.push({ what: `${field.in} ${field.name} at its ${b.side} ${b.at}`, request: at, expect: { accept: true, control } });
          const beyond = instantiate(found.t, numberValue(b.beyond), false);
          // Where the value is exact in a double, the document itself must refuse it (a union may accept it through
          // another branch); beyond 2^53 Ajv cannot tell, and the stated bound decides.
          const exact = !Number.isInteger(Number(b.beyond)) || Number.isSafeInteger(Number(b.beyond));
          if (!exact || !valid(beyond)) {
            probes.push({ what: `${field.in} ${field.name} one beyond its ${b.side}: ${b.beyond}`, request: beyond, expect: { refuse: 400 } });
          }
        }
      }
    } else if (cls === "timestamps") {
      // The values rotate over the operation's fields: every value reaches every operation, every field
      // gets at least one value inside and one outside.
      const fields = pick(rng, fieldsOf(contract, op, isTimestamp), fieldCaps.timestamps);
      const perField = Math.max(1, Math.ceil(insideTimestamps.length / Math.max(1, fields.length)));
      const offset = rng.int(0, insideTimestamps.length - 1);
      for (const [i, field] of fields.entries()) {
        const found = validTemplate(field, field.leaves, () => "2024-05-06T07:08:09.000Z", true);
        if (!found) continue;
        const mine = <T>(xs: T[]) => Array.from({ length: Math.min(perField, xs.length) }, (_, j) => xs[(offset + i * perField + j) % xs.length]!);
        for (const ts of mine(insideTimestamps)) {
          const req = instantiate(found.t, ts, true);
          if (mayAccept(op, req)) probes.push({ what: `${field.in} ${field.name} = ${ts} (inside)`, request: req, expect: { accept: true, control: instantiate(found.t, controlTimestamp(ts), true) } });
        }
        for (const ts of mine(outsideTimestamps)) probes.push({ what: `${field.in} ${field.name} = ${ts} (outside)`, request: instantiate(found.t, ts, true), expect: { refuse: 400 } });
      }
    } else {
      // Content-Encoding: a valid request (or, where the internal API would write outside project F, one the document refuses).
      let plain: HttpRequest | undefined;
      for (let attempt = 0; attempt < 5 && !plain; attempt++) {
        const r = instantiate(template(op, gen, undefined, undefined, false), undefined, false);
        if (valid(r)) plain = r;
      }
      if (!plain) return [];
      if (!mayAccept(op, plain)) plain = { ...plain, body: { ...(plain.body as object), zzEncodingProbe: 1 } };
      const other = rng.pick(["deflate", "br"] as const);
      const bogus = rng.pick(["x-snappy", "bogus", "gzip-x"]);
      probes.push(
        { what: "Content-Encoding: gzip on a body that is not gzip", request: { ...plain, headers: { ...plain.headers, "Content-Encoding": "gzip" } }, expect: { refuse: 400 } },
        { what: `Content-Encoding: ${other} on a body that is not ${other}`, request: { ...plain, headers: { ...plain.headers, "Content-Encoding": other } }, expect: { refuse: 400 } },
        { what: "Content-Encoding: compress-x (unknown)", request: { ...plain, headers: { ...plain.headers, "Content-Encoding": "compress-x" } }, expect: { refuse: 415 } },
        { what: `Content-Encoding: ${bogus} (unknown)`, request: { ...plain, headers: { ...plain.headers, "Content-Encoding": bogus } }, expect: { refuse: 415 } },
        { what: "a valid gzip body", request: { ...plain, encoding: "gzip" }, expect: { like: plain } },
        { what: `a valid ${other} body`, request: { ...plain, encoding: other }, expect: { like: plain } },
      );
    }
    return probes;
  }

  async function runProbes(op: Operation, probes: Probe[], send: (r: HttpRequest) => Promise<HttpResponse>): Promise<string[]> {
    const problems: string[] = [];
    const isWrite = ctx.isWrite(op);
    const guard = writeGuard(isWrite, () => ctx.snapshot(send), problems);
    await guard.start();
    /** One probe; its problems go to `out`. Writes run one at a time (the guard needs the order); reads four at a time. */
    const one = async (probe: Probe, out: string[]) => {
      const where = clip(`${probe.what}: ${describe(probe.request)}`);
      const expect = probe.expect;
      if ("like" in expect) {
        await guard.beforeAcceptable();
        const plainRes = await send(expect.like);
        await guard.after(plainRes, `${where} (sent plain)`);
        await guard.beforeAcceptable();
        const res = await send(probe.request);
        if (res.status !== plainRes.status) out.push(`${where}: answered ${res.status}, the same body sent plain ${plainRes.status}: ${res.text.slice(0, 160)}`);
        else if (!isWrite && res.text !== plainRes.text) out.push(`${where}: answered ${brief(res.text)}, the same body sent plain ${brief(plainRes.text)}`);
        await guard.after(res, where);
      } else if ("refuse" in expect) {
        const res = await send(probe.request);
        if (res.status !== expect.refuse) out.push(`${where}: answered ${res.status} (expected ${expect.refuse}): ${res.text.slice(0, 160)}`);
        await guard.after(res, where);
      } else {
        await guard.beforeAcceptable();
        const res = await send(probe.request);
        if (res.status >= 500 && res.status !== 503) out.push(`${where}: answered ${res.status} (a value inside the range must be accepted): ${res.text.slice(0, 160)}`);
        else if (res.status === 400 && expect.control) {
          await guard.after(res, where);
          await guard.beforeAcceptable();
          const control = await send(expect.control);
          if (control.status !== 400) out.push(`${where}: answered 400 (${res.text.slice(0, 160)}), the same request with an ordinary value ${control.status}: the value inside the range was refused`);
          await guard.after(control, `${where} (control)`);
          return;
        }
        await guard.after(res, where);
      }
    };
    const width = isWrite ? 1 : 4;
    for (let i = 0; i < probes.length && problems.length < 12; i += width) {
      const slots = probes.slice(i, i + width).map(() => [] as string[]);
      await Promise.all(probes.slice(i, i + width).map((probe, j) => one(probe, slots[j]!)));
      problems.push(...slots.flat());
    }
    await guard.finish();
    return problems;
  }

  /** SPEC §10: two concurrent replays of one batch both answer 200, write each message once and agree on the ids. */
  async function concurrentReplays(op: Operation, send: (r: HttpRequest) => Promise<HttpResponse>): Promise<string[]> {
    const problems: string[] = [];
    const contract = contracts.internal;
    const rng = prng(hash(`${seed}:${op.operationId}:replays`));
    const gen = generator(op, rng);
    const request = flatSchema(contract, op.requestSchema);
    const [listName, listSchema] = Object.entries((request?.properties ?? {}) as Record<string, any>).find(([, v]) => typesOf(flatSchema(contract, v)).includes("array")) ?? [];
    const messageSchema = listSchema && flatSchema(contract, flatSchema(contract, listSchema).items);
    if (!listName || !messageSchema?.properties?.providerExternalId) return [`${op.operationId}: the contract's ingest request has no message list with providerExternalId`];
    const counts = async () => {
      const [a, b] = await Promise.all([
        send({ method: "POST", path: "/api/sms-log/count", headers: { ApiKey: world.keys.fOwner }, body: {} }),
        send({ method: "POST", path: "/messaging/v1/GetCount", headers: { Authorization: `Bearer ${world.keys.fOwner}` }, body: {} }),
      ]);
      return [Number((a.json as { count?: unknown })?.count), Number((b.json as { count?: unknown })?.count)];
    };
    type Result = { _id: string; messageId: string; duplicate: boolean };
    for (const [round, size] of [3, 40].entries()) {
      let batch: HttpRequest | undefined;
      for (let attempt = 0; attempt < 5 && !batch; attempt++) {
        const messages = Array.from({ length: size }, (_, i) => {
          const m: Record<string, unknown> = {};
          for (const key of messageSchema.required ?? []) m[key] = gen.value(messageSchema.properties[key], 2, key);
          m.providerExternalId = `${world.runId}-replay-${seed}-${round}-${i}`;
          return m;
        });
        const r: HttpRequest = { method: "POST", path: op.path, headers: ctx.auth(op), body: { [listName]: messages } };
        if (isValid(op, contract, r)) batch = r;
      }
      if (!batch) {
        problems.push(`round ${round}: could not build a valid batch from the contract`);
        continue;
      }
      const where = `round ${round} (${size} messages, providerExternalId ${world.runId}-replay-${seed}-${round}-*)`;
      const before = await counts();
      const [first, second] = await Promise.all([send(batch), send(batch)]);
      const answers = [first, second].map((res) => (res.json as { data?: Result[] })?.data);
      for (const [i, res] of [first, second].entries()) {
        if (res.status !== 200) problems.push(`${where}: replay ${i + 1} of 2 (concurrent) answered ${res.status} (expected 200): ${res.text.slice(0, 160)}`);
        else if (answers[i]?.length !== size) problems.push(`${where}: replay ${i + 1} answered ${answers[i]?.length} results for ${size} messages`);
      }
      const [a, b] = answers;
      if (first.status === 200 && second.status === 200 && a?.length === size && b?.length === size) {
        for (let i = 0; i < size; i++) {
          if (a[i]!._id !== b[i]!._id || a[i]!.messageId !== b[i]!.messageId) problems.push(`${where}: message ${i} got different ids: ${brief(a[i])} vs ${brief(b[i])}`);
          if (a[i]!.duplicate === b[i]!.duplicate) problems.push(`${where}: message ${i}: duplicate is ${a[i]!.duplicate} in both answers (expected true only in the one that lost)`);
          if (problems.length >= 10) break;
        }
      }
      const after = await counts();
      if (after.some((n, i) => n - before[i]! !== size)) problems.push(`${where}: the counts went from ${brief(before)} to ${brief(after)} (expected +${size} each: each message written once)`);
      const third = await send(batch);
      const c = (third.json as { data?: Result[] })?.data;
      if (third.status !== 200) problems.push(`${where}: a third, sequential replay answered ${third.status}: ${third.text.slice(0, 160)}`);
      else if (a && c && (c.length !== size || c.some((r, i) => !r.duplicate || r._id !== a[i]?._id))) problems.push(`${where}: a third replay did not answer the same ids, all duplicate: ${brief(c.slice(0, 3))}`);
      const last = await counts();
      if (last.some((n, i) => n !== after[i])) problems.push(`${where}: a third replay changed the counts ${brief(after)} → ${brief(last)}`);
      if (problems.length >= 10) break;
    }
    return problems;
  }
}

/**
 * "A refused write writes nothing", checked through the read APIs (a snapshot of project F) without
 * a snapshot after every refusal: refusals accumulate and are checked together before any request
 * that may be accepted, every 8 refusals and at the end; an answer below 300 moves the baseline.
 */
function writeGuard(isWrite: boolean, snapshot: () => Promise<string>, problems: string[]) {
  let baseline = "";
  let pending: string[] = [];
  const verify = async () => {
    const now = await snapshot();
    if (now !== baseline) {
      const which = pending.length === 1 ? pending[0]! : `one of ${pending.length} refused requests (${pending.slice(0, 3).join(" | ")}${pending.length > 3 ? " | …" : ""})`;
      problems.push(`${which}: a rejected request changed data: ${brief(baseline)} → ${brief(now)}`);
    }
    baseline = now;
    pending = [];
  };
  return {
    async start() {
      if (isWrite) baseline = await snapshot();
    },
    /** Before a request that may legitimately write. */
    async beforeAcceptable() {
      if (isWrite && pending.length) await verify();
    },
    async after(res: HttpResponse, where: string) {
      if (!isWrite) return;
      if (res.status < 300) {
        baseline = await snapshot();
        pending = [];
      } else if (res.status >= 400) {
        pending.push(`${where.slice(0, 200)} → ${res.status}`);
        if (pending.length >= 8) await verify();
      }
    },
    async finish() {
      if (isWrite && pending.length) await verify();
    },
  };
}

/** A request as shown in problems. */
function describe(r: HttpRequest): string {
  const qs = r.query ? `?${new URLSearchParams(Object.entries(r.query).map(([k, v]) => [k, String(v)]))}` : "";
  const enc = r.encoding ? ` [${r.encoding}]` : "";
  const ce = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === "content-encoding");
  const body = r.rawBody !== undefined ? r.rawBody.slice(0, 240) : r.body !== undefined ? JSON.stringify(r.body) : "";
  return `${r.method} ${r.path}${qs}${ce ? ` (Content-Encoding: ${String(ce[1])})` : ""}${enc} ${body}`;
}
