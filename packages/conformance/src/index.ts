import { dialects as allDialects, type Dialect } from "@commlog/contracts";
import { fuzzScenarios } from "./fuzz.js";
import { cleanUp, provision, type World } from "./provisioning.js";
import { runScenarios } from "./runner.js";
import type { ScenarioResult } from "./scenario.js";
import { allScenarios } from "./scenarios/index.js";
import { loadContracts } from "./validation.js";

export { summary, junit } from "./report.js";
export type { Scenario, RequestScenario, FlowScenario, Expect, ScenarioResult } from "./scenario.js";
export type { World } from "./provisioning.js";

export interface ConformanceOptions {
  baseUrl: string;
  adminToken: string;
  dialects?: Dialect[];
  /** Seed of the fuzzer; the same seed sends the same cases. */
  seed?: number;
  /** How many fuzz cases in all (0: none). */
  fuzzCases?: number;
  /** Keep the provisioned projects (for debugging). */
  keep?: boolean;
  onResult?: (r: ScenarioResult) => void;
}

/** Provisions a world, runs the scenarios and the fuzzer, cleans up; returns one result per scenario. */
export async function runConformance(options: ConformanceOptions): Promise<ScenarioResult[]> {
  const dialects = options.dialects ?? [...allDialects];
  const contracts = loadContracts();
  const results: ScenarioResult[] = [];
  const record = (r: ScenarioResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  let world: World;
  const started = performance.now();
  try {
    world = await provision(options.baseUrl, options.adminToken);
  } catch (error) {
    record({ dialect: "internal", group: "provisioning", name: "provision a tenant world through the internal API", problems: [error instanceof Error ? error.message : String(error)], durationMs: performance.now() - started });
    return results;
  }
  record({ dialect: "internal", group: "provisioning", name: "provision a tenant world through the internal API", problems: world.problems, durationMs: performance.now() - started });
  try {
    await runScenarios(options.baseUrl, contracts, allScenarios(world, options.adminToken, dialects), record);
    const fuzzCases = options.fuzzCases ?? 2000;
    if (fuzzCases > 0) {
      await runScenarios(options.baseUrl, contracts, fuzzScenarios({ world, contracts, adminToken: options.adminToken, dialects, seed: options.seed ?? 1, cases: fuzzCases }), record);
    }
  } finally {
    if (!options.keep) {
      const t = performance.now();
      const problems = await cleanUp(options.baseUrl, options.adminToken, world).catch((e: unknown) => [String(e)]);
      record({ dialect: "internal", group: "provisioning", name: "delete the run's projects", problems, durationMs: performance.now() - t });
    }
  }
  return results;
}
