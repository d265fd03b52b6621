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
  constructor(private readonly contract: DialectContract, private readonly rng: Rng, private readonly hints: Record<string, () => unknown>) {}

  value(schema: any, depth = 0, name?: string): unknown {
    const { rng } = this;
    if (name && this.hints[name] && rng.chance(0.9)) return this.hints[name]!();
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
    if (schema.format === "date-time") return new Date(Date.UTC(2023, 0, 1) + rng.int(0, 3 * 365 * 86400) * 1000 + rng.int(0, 999)).toISOString();
    if (schema.pattern && PHONE.test(schema.pattern)) return rng.pick(["+45 81 80 88 88", "+4581808888", "4581808888", "+1 (555) 123-4567", `+4522${rng.int(100000, 999999)}`]);
    if (schema.pattern === "^\\d{4}-(0[1-9]|1[0-2])$") return `20${rng.int(20, 26)}-${String(rng.int(1, 12)).padStart(2, "0")}`;
    if (schema.pattern === "^[0-9]+$") return String(rng.int(0, 10_000));
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
  for (const op of ops) {
    const n = Math.max(1, Math.round((options.cases * weight(op)) / totalWeight));
    scenarios.push({
      dialect: op.dialect,
      group: "fuzz",
      name: `${op.operationId} (${op.method} ${op.path}): ${n} generated requests`,
      run: (send) => fuzzOperation(op, n, send),
    });
  }
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
    const isWrite = op.dialect === "internal" || (op.access.anyOf?.includes("ProjectOwner") && !op.access.anyOf.includes("ProjectMember"));
    const writeOnlyInvalid = op.dialect === "internal";
    let snapshot = isWrite ? await snapshotF(send) : "";
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
      const res = await send(c.request);
      const where = clip(`case ${k} [${c.label}] ${c.request.method} ${c.request.path}${c.request.query ? `?${new URLSearchParams(c.request.query as Record<string, string>)}` : ""} ${c.request.rawBody !== undefined ? brief(c.request.rawBody.slice(0, 200)) : c.request.body !== undefined ? brief(c.request.body) : ""}`);
      if (!c.valid) {
        if (res.status < 400 || res.status >= 500) problems.push(`${where}: an invalid request answered ${res.status} (expected a documented 4xx): ${res.text.slice(0, 160)}`);
        if (c.label.endsWith("auth") && res.status !== 401) problems.push(`${where}: expected 401, got ${res.status}`);
        if (isWrite && res.status >= 400) {
          const now = await snapshotF(send);
          if (now !== snapshot) problems.push(`${where}: a rejected request (${res.status}) changed data: ${brief(snapshot)} → ${brief(now)}`);
          snapshot = now;
        }
      } else if (isWrite && res.status < 300) {
        snapshot = await snapshotF(send);
      }
      if (problems.length >= 10) break;
    }
    return problems;
  }

  /** What writes could change in project F, read through the public read APIs. */
  async function snapshotF(send: (r: HttpRequest) => Promise<HttpResponse>): Promise<string> {
    const s200 = { ApiKey: world.keys.fOwner };
    const parts = await Promise.all([
      send({ method: "POST", path: "/api/incoming-call-log-item/count", headers: s200, body: {} }),
      send({ method: "POST", path: "/api/incoming-call-log/count", headers: s200, body: {} }),
      send({ method: "POST", path: "/messaging/v1/GetCount", headers: { Authorization: `Bearer ${world.keys.fOwner}` }, body: {} }),
      send({
        method: "POST", path: `/api/incoming-call-log-item/${f.items[0] ?? randomUUID()}/get-item`, headers: s200,
        body: { select: { status: true, statusMessage: true, isAnswered: true, callCostInUSDCents: true, dialDurationInSeconds: true, startedAt: true, endedAt: true } },
      }),
    ]);
    return JSON.stringify(parts.map((p) => [p.status, p.json]));
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
