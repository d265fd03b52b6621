import { dialects as allDialects, type Dialect } from "@commlog/contracts";
import { fuzzScenarios } from "./fuzz.js";
import { send, type HttpRequest } from "./http.js";
import { cleanUp, placeholderWorld, provision, ProvisioningError, type World } from "./provisioning.js";
import { runScenarios } from "./runner.js";
import { resultOf, type Scenario, type ScenarioResult } from "./scenario.js";
import { allScenarios } from "./scenarios/index.js";
import { keysOnlyScenarios, type ConformanceKeys } from "./scenarios/keys-only.js";
import { loadContracts } from "./validation.js";

export { summary, junit } from "./report.js";
export type { Scenario, RequestScenario, FlowScenario, FlowContext, Expect, ScenarioResult, Outcome } from "./scenario.js";
export type { World } from "./provisioning.js";
export type { ConformanceKeys } from "./scenarios/keys-only.js";
export type { HttpRequest } from "./http.js";

/**
 * What to test and how. Give exactly one of `adminToken` (the suite provisions its own tenants and
 * runs every scenario) or `keys` (keys-only mode: no admin token, nothing written; see
 * ConformanceKeys).
 */
export interface ConformanceOptions {
  /** The deployment to test, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Its internal API admin token: the suite provisions its own tenants, runs everything, removes them. */
  adminToken?: string;
  /** Keys-only mode: two project keys of different tenants and optionally a reseller key. */
  keys?: ConformanceKeys;
  /** The dialects to test (default: all four). */
  dialects?: Dialect[];
  /** Seed of the fuzzer; the same seed sends the same cases. */
  seed?: number;
  /** How many fuzz cases in all (0: none; default 2000). Keys-only mode does not fuzz. */
  fuzzCases?: number;
  /** Keep the provisioned resellers, projects and keys (for debugging). */
  keep?: boolean;
  /** Called with each result as it comes (runConformance only). */
  onResult?: (r: ScenarioResult) => void;
}

/** One scenario, ready to run: what a test runner turns into one test case. */
export interface ConformanceCase {
  dialect: Dialect;
  group: string;
  name: string;
  /** The request of a single-request scenario (absent for a flow of several requests). */
  request?: HttpRequest;
  /** Runs the scenario against the deployment; never throws: a problem is a `failed` result. */
  run(): Promise<ScenarioResult>;
}

/** A prepared run: provisioned (or, keys-only, the keys checked), its cases listed, not yet run. */
export interface ConformanceRun {
  mode: "provisioned" | "keys-only";
  /** Provisioning, or the check of the given keys. When it failed, `cases` is empty. */
  setup: ScenarioResult;
  /** The scenarios to run, in the suite's order (run them one at a time, in this order). */
  cases: ConformanceCase[];
  /** The scenarios this mode does not run, each `skipped` with its reason. */
  skipped: ScenarioResult[];
  /**
   * Removes what the run created (SPEC §10; nothing with `keep` or in keys-only mode, then it
   * resolves to undefined). Call it once, after the cases.
   */
  finish(): Promise<ScenarioResult | undefined>;
}

const provisioningName = "provision a tenant world through the internal API";
const cleanUpName = "remove the run's resellers, projects and keys";
const keysName = "the given keys authenticate and belong to two tenants";
const skipReason = "keys-only mode: needs the tenants and data the suite provisions with the admin token";
const fuzzSkipReason = "keys-only mode: fuzzing needs a project of the run's own to write into (the admin token)";

function checkOptions(options: ConformanceOptions): void {
  if (Boolean(options.adminToken) === Boolean(options.keys)) throw new TypeError("give exactly one of adminToken and keys");
  if (options.keys && (!options.keys.project || !options.keys.otherProject)) throw new TypeError("keys needs project and otherProject");
  if (options.keys && options.keys.project === options.keys.otherProject) throw new TypeError("keys.project and keys.otherProject must be keys of two different tenants");
}

/**
 * Prepares a run: provisions (or checks the given keys) and lists its cases, each runnable on its
 * own, so that a team's own test runner can make one test case of each. runConformance is this,
 * run to the end.
 */
export async function prepareConformance(options: ConformanceOptions): Promise<ConformanceRun> {
  checkOptions(options);
  const dialects = options.dialects ?? [...allDialects];
  const contracts = loadContracts();
  const started = performance.now();
  const casesOf = (scenarios: Scenario[]): ConformanceCase[] =>
    scenarios.map((s) => ({
      dialect: s.dialect,
      group: s.group,
      name: s.name,
      ...("request" in s ? { request: s.request } : {}),
      run: async () => (await runScenarios(options.baseUrl, contracts, [s]))[0]!,
    }));

  if (options.keys) {
    const keys = options.keys;
    const setup = resultOf({ dialect: "internal", group: "keys-only", name: keysName }, await checkKeys(options.baseUrl, keys), performance.now() - started);
    const skipped = skippedInKeysOnlyMode(dialects, options.seed ?? 1, options.fuzzCases ?? 2000);
    const cases = setup.outcome === "failed" ? [] : casesOf(keysOnlyScenarios(keys, contracts, dialects));
    return { mode: "keys-only", setup, cases, skipped, finish: async () => undefined };
  }

  const adminToken = options.adminToken!;
  let world: World;
  try {
    world = await provision(options.baseUrl, adminToken);
  } catch (error) {
    const problems = [error instanceof Error ? error.message : String(error)];
    // What was made before the failure goes too (unless kept).
    const created = error instanceof ProvisioningError ? error.created : undefined;
    if (created && !options.keep) problems.push(...(await cleanUp(options.baseUrl, adminToken, created).catch((e: unknown) => [String(e)])).map((p) => `clean-up after the failure: ${p}`));
    const setup = resultOf({ dialect: "internal", group: "provisioning", name: provisioningName }, problems, performance.now() - started);
    return { mode: "provisioned", setup, cases: [], skipped: [], finish: async () => undefined };
  }
  const setup = resultOf({ dialect: "internal", group: "provisioning", name: provisioningName }, world.problems, performance.now() - started);
  const scenarios = allScenarios(world, adminToken, dialects);
  const fuzzCases = options.fuzzCases ?? 2000;
  if (fuzzCases > 0) scenarios.push(...fuzzScenarios({ world, contracts, adminToken, dialects, seed: options.seed ?? 1, cases: fuzzCases }));
  let finished = false;
  return {
    mode: "provisioned",
    setup,
    cases: casesOf(scenarios),
    skipped: [],
    finish: async () => {
      if (options.keep || finished) return undefined;
      finished = true;
      const t = performance.now();
      const problems = await cleanUp(options.baseUrl, adminToken, world).catch((e: unknown) => [String(e)]);
      return resultOf({ dialect: "internal", group: "provisioning", name: cleanUpName }, problems, performance.now() - t);
    },
  };
}

/**
 * The scenarios of a provisioned run that keys-only mode does not run, as `skipped` results: built
 * on a placeholder world only to be named (the same names a provisioned run reports).
 */
export function skippedInKeysOnlyMode(dialects: Dialect[], seed: number, fuzzCases: number): ScenarioResult[] {
  const placeholder = placeholderWorld();
  const fuzz = fuzzCases > 0 ? fuzzScenarios({ world: placeholder, contracts: loadContracts(), adminToken: "(no admin token)", dialects, seed, cases: fuzzCases }) : [];
  return [
    ...allScenarios(placeholder, "(no admin token)", dialects).map((s) => resultOf(s, [], 0, skipReason)),
    ...fuzz.map((s) => resultOf(s, [], 0, fuzzSkipReason)),
  ];
}

/** Keys-only mode's first check: each project key authenticates (Status200 or TelecomX), and the reseller key on TelecomX. */
export async function checkKeys(baseUrl: string, keys: ConformanceKeys): Promise<string[]> {
  const problems: string[] = [];
  const authenticates = async (key: string, what: string, reseller: boolean) => {
    const answers = await Promise.all([
      reseller ? undefined : send(baseUrl, { method: "POST", path: "/api/sms-log/count", headers: { ApiKey: key }, body: {} }),
      send(baseUrl, { method: "GET", path: "/sms", headers: { Authorization: `Bearer ${key}` }, query: { limit: 1 } }),
    ]).catch((e: unknown) => {
      problems.push(`${what}: no answer from ${baseUrl} (${e instanceof Error ? e.message : String(e)})`);
      return [];
    });
    const statuses = answers.filter((a) => a !== undefined).map((a) => a!.status);
    if (statuses.length && statuses.every((s) => s === 401)) problems.push(`${what} is not accepted (401 on ${reseller ? "TelecomX" : "Status200 and TelecomX"})`);
  };
  await authenticates(keys.project, "the project key", false);
  await authenticates(keys.otherProject, "the other project key", false);
  if (keys.reseller) await authenticates(keys.reseller, "the reseller key", true);
  return problems;
}

/** Prepares a run, runs every case in order, finishes it; returns one result per scenario (the skipped ones included). */
export async function runConformance(options: ConformanceOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const record = (r: ScenarioResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  const run = await prepareConformance(options);
  record(run.setup);
  try {
    for (const c of run.cases) record(await c.run());
  } finally {
    const done = await run.finish();
    if (done) record(done);
  }
  run.skipped.forEach(record);
  return results;
}
