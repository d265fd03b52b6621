import type { Dialect } from "@commlog/contracts";
import type { HttpRequest, HttpResponse } from "./http.js";

/** What a response must look like. Every response is also validated against the dialect's OpenAPI. */
export interface Expect {
  /** The status, or the acceptable statuses where the SPEC leaves a choice. */
  status: number | number[];
  /** A partial deep match: objects match key by key, arrays element by element (same length). */
  body?: unknown;
  /** Substrings of the raw response body. */
  bodyIncludes?: string[];
  /** Paths (`messages[*].cost`) that must hold no value anywhere. */
  absent?: string[];
  /** Paths that must hold a value in every element (`messages[*].price`). */
  present?: string[];
  /** Paths whose every value must equal the given one (`messages[*].customer`). */
  every?: Record<string, unknown>;
  /** Paths whose values, in order, must be exactly these (`data[*]._id`). */
  values?: Record<string, unknown[]>;
  /** Paths whose values, in any order, must be exactly these. */
  sameSet?: Record<string, unknown[]>;
  /** Response headers that must contain the given text (case-insensitive). */
  headers?: Record<string, string>;
}

/** One behaviour: a request and the response it must get, written as data. */
export interface RequestScenario {
  dialect: Dialect;
  /** The operation or area, e.g. `sms-log get-list`; scenarios are grouped by it in the report. */
  group: string;
  name: string;
  request: HttpRequest;
  expect: Expect;
  /** Follow-up requests that must then hold (e.g. a foreign row still exists after a refused delete). */
  then?: Array<{ request: HttpRequest; expect: Expect }>;
}

/** What a flow may do besides sending: give up on a precondition the deployment does not meet. */
export interface FlowContext {
  /**
   * Marks the scenario skipped, with the reason (e.g. the key given in keys-only mode may not read
   * the resource). Problems found before or after still fail it.
   */
  skip(reason: string): void;
}

/** A behaviour over several requests (pagination invariants, nothing written by a rejected request). */
export interface FlowScenario {
  dialect: Dialect;
  group: string;
  name: string;
  run: (send: (req: HttpRequest) => Promise<HttpResponse>, context: FlowContext) => Promise<string[]>;
}

export type Scenario = RequestScenario | FlowScenario;

/** How a scenario ended. `skipped`: it did not run (its reason says why); only `failed` fails a run. */
export type Outcome = "passed" | "failed" | "skipped";

/** One scenario's result: what the CLI, the JUnit report, the jest entry and the programmatic API report. */
export interface ScenarioResult {
  dialect: Dialect;
  /** The operation or area, e.g. `sms-log get-list`. */
  group: string;
  name: string;
  /** `failed` exactly when `problems` is not empty. */
  outcome: Outcome;
  /** What differed from the contract, one line each; empty when the scenario passed or was skipped. */
  problems: string[];
  /** Why a skipped scenario did not run. */
  skipReason?: string;
  durationMs: number;
}

/** A result from its problems (and the reason, when the scenario was skipped without problems). */
export function resultOf(s: { dialect: Dialect; group: string; name: string }, problems: string[], durationMs: number, skipReason?: string): ScenarioResult {
  const unique = [...new Set(problems)];
  const outcome: Outcome = unique.length ? "failed" : skipReason !== undefined ? "skipped" : "passed";
  return { dialect: s.dialect, group: s.group, name: s.name, outcome, problems: unique, ...(outcome === "skipped" ? { skipReason } : {}), durationMs };
}

/** All values at a path such as `data[*]._id` or `messages[*].to[*]`; missing values are skipped. */
export function valuesAt(value: unknown, path: string): { found: unknown[]; missing: number } {
  let current: unknown[] = [value];
  let missing = 0;
  for (const segment of path.split(".")) {
    const expand = segment.endsWith("[*]");
    const key = expand ? segment.slice(0, -3) : segment;
    const next: unknown[] = [];
    for (const v of current) {
      const child = key === "" ? v : v !== null && typeof v === "object" && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
      if (child === undefined) {
        missing++;
        continue;
      }
      if (expand) {
        if (Array.isArray(child)) next.push(...child);
        else missing++;
      } else next.push(child);
    }
    current = next;
  }
  return { found: current, missing };
}

/** Differences between an expected partial value and the actual one. */
export function partialMatch(expected: unknown, actual: unknown, at = "body"): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${brief(actual)}`];
    if (actual.length !== expected.length) return [`${at}: expected ${expected.length} elements, got ${actual.length}`];
    return expected.flatMap((e, i) => partialMatch(e, actual[i], `${at}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${at}: expected an object, got ${brief(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      Object.hasOwn(actual, k) ? partialMatch(v, (actual as Record<string, unknown>)[k], `${at}.${k}`) : [`${at}.${k}: missing (expected ${brief(v)})`],
    );
  }
  return Object.is(expected, actual) ? [] : [`${at}: expected ${brief(expected)}, got ${brief(actual)}`];
}

export function brief(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** Checks one response against an expectation (the OpenAPI validation is separate). */
export function checkExpect(expect: Expect, res: HttpResponse): string[] {
  const problems: string[] = [];
  const statuses = Array.isArray(expect.status) ? expect.status : [expect.status];
  if (!statuses.includes(res.status)) {
    problems.push(`expected status ${statuses.join(" or ")}, got ${res.status}: ${res.text.slice(0, 200)}`);
    return problems;
  }
  if (expect.body !== undefined) problems.push(...partialMatch(expect.body, res.json));
  for (const text of expect.bodyIncludes ?? []) if (!res.text.includes(text)) problems.push(`body does not include ${JSON.stringify(text)}: ${res.text.slice(0, 200)}`);
  for (const path of expect.absent ?? []) {
    const { found } = valuesAt(res.json, path);
    if (found.length) problems.push(`${path}: expected absent, found ${brief(found.slice(0, 3))}`);
  }
  for (const path of expect.present ?? []) {
    const { missing, found } = valuesAt(res.json, path);
    if (missing || !found.length) problems.push(`${path}: expected present, missing in ${missing || "every"} element(s)`);
  }
  for (const [path, value] of Object.entries(expect.every ?? {})) {
    const bad = valuesAt(res.json, path).found.filter((v) => !Object.is(v, value));
    if (bad.length) problems.push(`${path}: expected every value to be ${brief(value)}, found ${brief(bad.slice(0, 3))}`);
  }
  for (const [path, values] of Object.entries(expect.values ?? {})) {
    const { found } = valuesAt(res.json, path);
    if (JSON.stringify(found) !== JSON.stringify(values)) problems.push(`${path}: expected ${brief(values)}, got ${brief(found)}`);
  }
  for (const [path, values] of Object.entries(expect.sameSet ?? {})) {
    const { found } = valuesAt(res.json, path);
    const norm = (a: unknown[]) => JSON.stringify(a.map((x) => JSON.stringify(x)).sort());
    if (norm(found) !== norm(values)) problems.push(`${path}: expected (any order) ${brief(values)}, got ${brief(found)}`);
  }
  for (const [name, text] of Object.entries(expect.headers ?? {})) {
    const v = res.headers[name.toLowerCase()];
    const s = Array.isArray(v) ? v.join(", ") : (v ?? "");
    if (!s.toLowerCase().includes(text.toLowerCase())) problems.push(`header ${name}: expected to contain ${JSON.stringify(text)}, got ${JSON.stringify(v ?? null)}`);
  }
  return problems;
}
