/**
 * `@commlog/conformance/jest`: the conformance suite as jest tests, one test per scenario, inside
 * `describe` blocks by dialect and by group (the operation or area). Call it at the top level of a
 * test file:
 *
 *   const { describeConformance } = require("@commlog/conformance/jest");   // or import
 *   describeConformance({ baseUrl: "http://127.0.0.1:3000", adminToken: process.env.COMMLOG_ADMIN_TOKEN });
 *
 * This file is CommonJS and loads only Node's own modules, so it works in jest's default CommonJS
 * mode and in its ESM mode alike, with no transform. The suite itself (ES modules) runs in a child
 * process (jest-worker.js): while jest collects the file it provisions the tenants there
 * (synchronously: jest needs the test names before it runs anything), and each test then asks a
 * long-lived child over IPC to run its scenario against the deployment.
 */
import childProcess = require("node:child_process");
import path = require("node:path");

export type Dialect = "status200" | "telecomx" | "exolve" | "internal";
const allDialects: readonly Dialect[] = ["status200", "telecomx", "exolve", "internal"];

export interface ConformanceJestOptions {
  /** The deployment to test. Default: env `COMMLOG_BASE_URL`. */
  baseUrl?: string;
  /** Its internal API admin token (the suite provisions its own tenants). Default: env `COMMLOG_ADMIN_TOKEN`. */
  adminToken?: string;
  /**
   * Keys-only mode instead (no admin token, nothing written): two project keys of different
   * tenants and optionally a TelecomX reseller key. Default: env `COMMLOG_CONFORMANCE_PROJECT_KEY`,
   * `COMMLOG_CONFORMANCE_OTHER_PROJECT_KEY`, `COMMLOG_CONFORMANCE_RESELLER_KEY`. The scenarios it
   * does not run are declared as skipped tests.
   */
  keys?: ConformanceKeys;
  /** The dialects to test. Default: env `COMMLOG_CONFORMANCE_DIALECTS` (comma-separated), else all four. */
  dialects?: Dialect[];
  /** The fuzzer's seed: the same seed sends the same cases. Default: env `COMMLOG_CONFORMANCE_SEED`, else 1. */
  seed?: number;
  /** Fuzz cases in all (0: no fuzzing). Default: env `COMMLOG_CONFORMANCE_FUZZ_CASES`, else 2000. */
  fuzzCases?: number;
  /** Keep the provisioned projects (for debugging). Default: env `COMMLOG_CONFORMANCE_KEEP=true`, else false. */
  keep?: boolean;
  /** The name of the outermost describe block. Default: `commlog conformance <baseUrl>`. */
  name?: string;
  /** jest's timeout for each scenario, in ms. Default 60000. */
  timeoutMs?: number;
  /** How long provisioning may take while jest collects the file, in ms. Default 180000. */
  provisionTimeoutMs?: number;
}

/** Keys-only mode's keys (see the package's ConformanceKeys). */
export interface ConformanceKeys {
  project: string;
  otherProject: string;
  reseller?: string;
}

interface ScenarioListing {
  dialect: Dialect;
  group: string;
  name: string;
  request?: string;
  skipReason?: string;
}

interface WorkerOptions {
  baseUrl: string;
  adminToken: string;
  keys?: ConformanceKeys;
  keep?: boolean;
  dialects: Dialect[];
  seed: number;
  fuzzCases: number;
}

type WorkerReply =
  | { type: "ready" }
  | { type: "result"; index: number; problems: string[]; durationMs: number }
  | { type: "cleaned"; problems: string[] }
  | { type: "error"; message: string };

type TestFn = () => Promise<void> | void;
interface JestGlobals {
  describe: (name: string, fn: () => void) => void;
  test: ((name: string, fn: TestFn, timeout?: number) => void) & { skip: (name: string, fn: TestFn) => void };
  beforeAll: (fn: TestFn, timeout?: number) => void;
  afterAll: (fn: TestFn, timeout?: number) => void;
}

/** jest's globals, or `@jest/globals` where a project turned `injectGlobals` off. */
function jestGlobals(): JestGlobals {
  const g = globalThis as unknown as Partial<JestGlobals>;
  if (g.describe && g.test && g.beforeAll && g.afterAll) return g as JestGlobals;
  try {
    return require("@jest/globals") as JestGlobals;
  } catch {
    throw new Error("@commlog/conformance/jest must be loaded by a jest test file");
  }
}

const workerPath = path.join(__dirname, "jest-worker.js");

function resolveOptions(options: ConformanceJestOptions): WorkerOptions {
  const env = process.env;
  const number = (value: number | undefined, text: string | undefined, fallback: number) => value ?? (text !== undefined && text !== "" ? Number(text) : fallback);
  const dialects = options.dialects ?? (env.COMMLOG_CONFORMANCE_DIALECTS ? env.COMMLOG_CONFORMANCE_DIALECTS.split(",").map((d) => d.trim()).filter(Boolean) as Dialect[] : [...allDialects]);
  const envKeys = env.COMMLOG_CONFORMANCE_PROJECT_KEY || env.COMMLOG_CONFORMANCE_OTHER_PROJECT_KEY
    ? { project: env.COMMLOG_CONFORMANCE_PROJECT_KEY ?? "", otherProject: env.COMMLOG_CONFORMANCE_OTHER_PROJECT_KEY ?? "", ...(env.COMMLOG_CONFORMANCE_RESELLER_KEY ? { reseller: env.COMMLOG_CONFORMANCE_RESELLER_KEY } : {}) }
    : undefined;
  // Keys given as an option win over an admin token from the environment (and vice versa).
  const keys = options.keys ?? (options.adminToken ? undefined : envKeys);
  return {
    baseUrl: options.baseUrl ?? env.COMMLOG_BASE_URL ?? "",
    adminToken: keys ? "" : (options.adminToken ?? env.COMMLOG_ADMIN_TOKEN ?? ""),
    ...(keys ? { keys } : {}),
    keep: options.keep ?? env.COMMLOG_CONFORMANCE_KEEP === "true",
    dialects,
    seed: number(options.seed, env.COMMLOG_CONFORMANCE_SEED, 1),
    fuzzCases: number(options.fuzzCases, env.COMMLOG_CONFORMANCE_FUZZ_CASES, 2000),
  };
}

/** Provisions while jest collects: a child process, waited for synchronously. */
type Provisioned = { world: unknown; problems: string[]; scenarios: ScenarioListing[] };

function provisionNow(options: WorkerOptions, timeoutMs: number): Provisioned | { error: string } {
  const run = childProcess.spawnSync(process.execPath, [workerPath, "provision"], {
    input: JSON.stringify(options),
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (run.error) {
    return {
      error:
        `provisioning did not finish: ${run.error.message}. jest waits for it while it collects the file, so the deployment must ` +
        "run in another process: a server started inside this jest process cannot answer until provisioning is over.",
    };
  }
  try {
    return JSON.parse(run.stdout) as Provisioned | { error: string };
  } catch {
    return { error: `provisioning failed (exit ${run.status ?? run.signal}):\n${run.stderr || run.stdout}` };
  }
}

/** The long-lived child that runs the scenarios, one request/answer at a time. */
class Worker {
  private readonly child: childProcess.ChildProcess;
  private pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  private exited: Error | undefined;

  constructor() {
    this.child = childProcess.fork(workerPath, ["serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [] });
    this.child.on("message", (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(reply);
    });
    this.child.on("exit", (code, signal) => {
      this.exited = new Error(`the conformance worker exited (${code ?? signal})`);
      this.pending?.reject(this.exited);
      this.pending = undefined;
    });
  }

  ask(message: object): Promise<WorkerReply> {
    if (this.exited) return Promise.reject(this.exited);
    if (this.pending) return Promise.reject(new Error("the conformance worker is busy: scenarios run one at a time"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(message);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

function failure(title: string, listing: ScenarioListing | undefined, problems: string[]): Error {
  const lines = [title];
  if (listing?.request) lines.push("", "request:", ...listing.request.split("\n").map((l) => `  ${l}`));
  else if (listing) lines.push("", "(a flow of several requests: each problem names its request)");
  lines.push("", `mismatch${problems.length > 1 ? `es (${problems.length})` : ""}:`, ...problems.map((p) => `  - ${p}`));
  const error = new Error(lines.join("\n"));
  error.stack = error.message; // the stack would only point into this file
  return error;
}

/**
 * Declares the conformance suite as jest tests: one `describe` per dialect, one per group inside it,
 * one test per scenario (in the suite's order, which the tests keep: a group that recurs later gets
 * a second block), plus provisioning first and cleanup last. Options fall back to the environment.
 */
export function describeConformance(options: ConformanceJestOptions = {}): void {
  const { describe, test, beforeAll, afterAll } = jestGlobals();
  const resolved = resolveOptions(options);
  const keep = resolved.keep === true || Boolean(resolved.keys); // keys-only mode creates nothing
  const timeout = options.timeoutMs ?? 60_000;
  const title = options.name ?? `commlog conformance ${resolved.baseUrl || "(no base URL)"}`;
  const provisioned = provisionNow(resolved, options.provisionTimeoutMs ?? 180_000);

  describe(title, () => {
    if ("error" in provisioned) {
      describe("internal", () => {
        describe("provisioning", () => {
          test("provision a tenant world through the internal API", () => {
            throw failure(`could not provision against ${resolved.baseUrl}`, undefined, [provisioned.error]);
          });
        });
      });
      return;
    }

    const { world, problems: setupProblems } = provisioned;
    // Runnable scenarios first (their index is the worker's), then the ones this mode skips.
    const scenarios = provisioned.scenarios.filter((s) => s.skipReason === undefined);
    const skipped = provisioned.scenarios.filter((s) => s.skipReason !== undefined);
    const setupTitle = resolved.keys ? ["keys-only", "the given keys authenticate and belong to two tenants"] as const : ["provisioning", "provision a tenant world through the internal API"] as const;
    let worker: Worker | undefined;
    let cleaned = keep;
    let workerProblem: Error | undefined;

    beforeAll(async () => {
      worker = new Worker();
      const reply = await worker.ask({ type: "init", options: resolved, world, names: scenarios.map((s) => `${s.dialect} ${s.group} ${s.name}`) });
      if (reply.type !== "ready") workerProblem = new Error(reply.type === "error" ? reply.message : `unexpected reply ${reply.type}`);
    }, 120_000);

    const cleanUp = async (): Promise<string[]> => {
      if (cleaned || !worker) return [];
      cleaned = true;
      const reply = await worker.ask({ type: "cleanup" });
      return reply.type === "cleaned" ? reply.problems : [reply.type === "error" ? reply.message : `unexpected reply ${reply.type}`];
    };

    afterAll(async () => {
      try {
        const problems = await cleanUp();
        if (problems.length) console.warn(`commlog conformance: cleaning up failed:\n${problems.join("\n")}`);
      } finally {
        worker?.stop();
      }
    }, 120_000);

    describe("internal", () => {
      describe(setupTitle[0], () => {
        test(setupTitle[1], () => {
          if (setupProblems.length) throw failure(resolved.keys ? "the given keys do not fit" : "provisioning reported problems", undefined, setupProblems);
        });
      });
    });

    // Consecutive scenarios of one dialect, and inside it of one group, share a describe block.
    // The skipped ones (keys-only mode) come last, as skipped tests (jest shows no reason: it is in their listing).
    const all = [...scenarios.map((listing, at) => ({ listing, at })), ...skipped.map((listing) => ({ listing, at: -1 }))];
    let index = 0;
    while (index < all.length) {
      const dialect = all[index]!.listing.dialect;
      const start = index;
      while (index < all.length && all[index]!.listing.dialect === dialect) index++;
      const inDialect = all.slice(start, index);
      describe(dialect, () => {
        let i = 0;
        while (i < inDialect.length) {
          const group = inDialect[i]!.listing.group;
          const first = i;
          while (i < inDialect.length && inDialect[i]!.listing.group === group) i++;
          const inGroup = inDialect.slice(first, i);
          describe(group, () => {
            for (const { listing, at } of inGroup) {
              if (at < 0) {
                test.skip(listing.name, () => undefined);
                continue;
              }
              test(listing.name, async () => {
                if (workerProblem) throw workerProblem;
                if (!worker) throw new Error("the conformance worker did not start");
                const reply = await worker.ask({ type: "run", index: at });
                if (reply.type === "error") throw new Error(`the scenario could not run: ${reply.message}`);
                if (reply.type !== "result") throw new Error(`unexpected reply ${reply.type}`);
                if (reply.problems.length) throw failure(`[${listing.dialect}] ${listing.group} › ${listing.name}`, listing, reply.problems);
              }, timeout);
            }
          });
        }
      });
    }

    if (!keep) {
      describe("internal", () => {
        describe("provisioning", () => {
          test("remove the run's resellers, projects and keys", async () => {
            if (workerProblem) throw workerProblem;
            const problems = await cleanUp();
            if (problems.length) throw failure("cleaning up failed", undefined, problems);
          }, 120_000);
        });
      });
    }
  });
}
