import type { Dialect } from "@commlog/contracts";
import type { World } from "../provisioning.js";
import type { Scenario } from "../scenario.js";
import { exolveScenarios } from "./exolve.js";
import { internalScenarios } from "./internal.js";
import { status200Scenarios } from "./status200.js";
import { telecomxScenarios } from "./telecomx.js";

/** Every scenario of the chosen dialects, built from the provisioned world. */
export function allScenarios(world: World, adminToken: string, dialects: Dialect[]): Scenario[] {
  const build: Record<Dialect, () => Scenario[]> = {
    status200: () => status200Scenarios(world),
    telecomx: () => telecomxScenarios(world),
    exolve: () => exolveScenarios(world),
    internal: () => internalScenarios(world, adminToken),
  };
  return dialects.flatMap((d) => build[d]());
}
