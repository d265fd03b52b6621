// The process behind `@commlog/conformance/jest` (see jest.cts). It runs as plain Node, outside
// jest's module system, so the suite's ES modules load the same way under any jest setup.
//
//   node jest-worker.js provision   options JSON on stdin; prints {world, scenarios} or {error}
//   node jest-worker.js serve       over IPC: {init}, then {run: index} per scenario, then {cleanup}
import { dialects as allDialects, type Dialect } from "@commlog/contracts";
import { fuzzScenarios } from "./fuzz.js";
import type { HttpRequest } from "./http.js";
import { checkKeys, skippedInKeysOnlyMode } from "./index.js";
import { cleanUp, provision, ProvisioningError, type World } from "./provisioning.js";
import { runScenarios, shown } from "./runner.js";
import type { Scenario } from "./scenario.js";
import { allScenarios } from "./scenarios/index.js";
import { keysOnlyScenarios, type ConformanceKeys } from "./scenarios/keys-only.js";
import { loadContracts, type DialectContract } from "./validation.js";

/** What the jest entry passes on (already resolved from its options and the environment). */
export interface WorkerOptions {
  baseUrl: string;
  adminToken: string;
  /** Keys-only mode (then adminToken is empty). */
  keys?: ConformanceKeys;
  keep?: boolean;
  dialects: Dialect[];
  seed: number;
  fuzzCases: number;
}

/** A scenario as jest names and reports it. */
export interface ScenarioListing {
  dialect: Dialect;
  group: string;
  name: string;
  /** The request of a request scenario, as the failure message shows it; absent for a flow. */
  request?: string;
  /** Set for a scenario this mode does not run (listed after every runnable one). */
  skipReason?: string;
}

export type WorkerMessage =
  | { type: "init"; options: WorkerOptions; world: World | null; names: string[] }
  | { type: "run"; index: number }
  | { type: "cleanup" };

export type WorkerReply =
  | { type: "ready" }
  | { type: "result"; index: number; problems: string[]; durationMs: number }
  | { type: "cleaned"; problems: string[] }
  | { type: "error"; message: string };

function buildScenarios(options: WorkerOptions, world: World | null, contracts: Record<Dialect, DialectContract>): Scenario[] {
  if (options.keys || !world) return keysOnlyScenarios(options.keys!, contracts, options.dialects);
  const scenarios: Scenario[] = allScenarios(world, options.adminToken, options.dialects);
  if (options.fuzzCases > 0) {
    scenarios.push(...fuzzScenarios({ world, contracts, adminToken: options.adminToken, dialects: options.dialects, seed: options.seed, cases: options.fuzzCases }));
  }
  return scenarios;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function describeRequest(req: HttpRequest): string {
  const lines = [`${req.method} ${shown(req)}`];
  const headers = Object.keys(req.headers ?? {});
  if (headers.length) lines.push(`headers: ${headers.join(", ")}`);
  if (req.encoding) lines.push(`Content-Encoding: ${req.encoding}`);
  if (req.rawBody !== undefined) lines.push(`body (raw): ${clip(req.rawBody, 600)}`);
  else if (req.body !== undefined) lines.push(`body: ${clip(JSON.stringify(req.body) ?? String(req.body), 600)}`);
  return lines.join("\n");
}

function checkOptions(options: WorkerOptions): string[] {
  return [
    !options.baseUrl && "no base URL (option baseUrl or env COMMLOG_BASE_URL)",
    options.baseUrl && !URL.canParse(options.baseUrl) && `the base URL is not a URL: ${options.baseUrl}`,
    !options.adminToken && !options.keys && "no admin token (option adminToken or env COMMLOG_ADMIN_TOKEN): the suite provisions its tenants through the internal API; or keys (keys-only mode)",
    options.keys && (!options.keys.project || !options.keys.otherProject) && "keys-only mode needs keys.project and keys.otherProject",
    options.keys && options.keys.project === options.keys.otherProject && "keys.project and keys.otherProject must be keys of two different tenants",
    ...options.dialects.filter((d) => !(allDialects as readonly string[]).includes(d)).map((d) => `unknown dialect ${d}`),
    !Number.isSafeInteger(options.seed) && "the seed must be an integer",
    !(Number.isSafeInteger(options.fuzzCases) && options.fuzzCases >= 0) && "fuzzCases must be a non-negative integer",
  ].filter((p): p is string => Boolean(p));
}

async function provisionAndList(options: WorkerOptions): Promise<unknown> {
  const problems = checkOptions(options);
  if (problems.length) return { error: problems.join("\n"), usage: true };
  const list = (scenarios: Scenario[]): ScenarioListing[] =>
    scenarios.map((s) => ({ dialect: s.dialect, group: s.group, name: s.name, ...("request" in s ? { request: describeRequest(s.request) } : {}) }));
  if (options.keys) {
    const problems = await checkKeys(options.baseUrl, options.keys);
    const skipped = skippedInKeysOnlyMode(options.dialects, options.seed, options.fuzzCases).map((r) => ({ dialect: r.dialect, group: r.group, name: r.name, skipReason: r.skipReason! }));
    return { world: null, problems, scenarios: [...(problems.length ? [] : list(buildScenarios(options, null, loadContracts()))), ...skipped] };
  }
  let world: World;
  try {
    world = await provision(options.baseUrl, options.adminToken);
  } catch (error) {
    // What was made before the failure goes too (unless kept).
    const created = error instanceof ProvisioningError && !options.keep ? error.created : undefined;
    const left = created ? await cleanUp(options.baseUrl, options.adminToken, created).catch((e: unknown) => [String(e)]) : [];
    return { error: [error instanceof Error ? error.message : String(error), ...left.map((p) => `clean-up after the failure: ${p}`)].join("\n") };
  }
  return { world, problems: world.problems, scenarios: list(buildScenarios(options, world, loadContracts())) };
}

function serve(): void {
  const reply = (message: WorkerReply) => process.send!(message);
  let state: { options: WorkerOptions; world: World | null; scenarios: Scenario[]; contracts: Record<Dialect, DialectContract> } | undefined;
  process.on("message", (message: WorkerMessage) => {
    void (async () => {
      try {
        if (message.type === "init") {
          const contracts = loadContracts();
          const scenarios = buildScenarios(message.options, message.world, contracts);
          const names = scenarios.map((s) => `${s.dialect} ${s.group} ${s.name}`);
          if (names.length !== message.names.length || names.some((n, i) => n !== message.names[i])) {
            throw new Error("the scenarios built for the run differ from the ones listed at collection (is the suite's build deterministic?)");
          }
          state = { options: message.options, world: message.world, scenarios, contracts };
          reply({ type: "ready" });
        } else if (message.type === "run") {
          if (!state) throw new Error("not initialised");
          const scenario = state.scenarios[message.index];
          if (!scenario) throw new Error(`no scenario ${message.index}`);
          const [result] = await runScenarios(state.options.baseUrl, state.contracts, [scenario]);
          reply({ type: "result", index: message.index, problems: result!.problems, durationMs: result!.durationMs });
        } else if (message.type === "cleanup") {
          if (!state) throw new Error("not initialised");
          const world = state.world;
          const problems = world ? await cleanUp(state.options.baseUrl, state.options.adminToken, world).catch((e: unknown) => [String(e)]) : [];
          reply({ type: "cleaned", problems });
        }
      } catch (error) {
        reply({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  process.on("disconnect", () => process.exit(0));
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const mode = process.argv[2];
if (mode === "provision") {
  const options = JSON.parse(await readStdin()) as WorkerOptions;
  const out = await provisionAndList(options);
  // Exit once written: idle keep-alive sockets must not hold the collecting jest worker.
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
} else if (mode === "serve") {
  serve();
} else {
  process.stderr.write("usage: jest-worker.js provision|serve (started by @commlog/conformance/jest)\n");
  process.exitCode = 2;
}
