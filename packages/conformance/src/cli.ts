#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { dialects as allDialects, type Dialect } from "@commlog/contracts";
import { unreachable } from "./http.js";
import { runConformance } from "./index.js";
import { junit, summary } from "./report.js";

const usage = `Usage: commlog-conformance --base-url URL --admin-token TOKEN [options]
       commlog-conformance --base-url URL --project-key KEY --other-project-key KEY [--reseller-key KEY] [options]

  --base-url URL        the deployment to test, e.g. http://127.0.0.1:3000
  --admin-token TOKEN   its internal API admin token (or env COMMLOG_ADMIN_TOKEN): the suite
                        provisions its own tenants, runs every scenario and removes them
  --project-key KEY     keys-only mode (no admin token; writes nothing): a project key, and
  --other-project-key KEY  a project key of another tenant; optionally
  --reseller-key KEY    a TelecomX RESELLER key. Scenarios that need provisioning are skipped.
  --dialect LIST        comma-separated: ${allDialects.join(",")} (default: all)
  --seed N              fuzzer seed (default 1; the same seed sends the same cases)
  --fuzz-cases N        fuzz cases in all (default 2000; 0 turns fuzzing off)
  --junit FILE          also write a JUnit XML report to FILE
  --keep                keep the provisioned resellers, projects and keys (default: remove them)
  --quiet               print only the summary

Exit codes: 0 no scenario failed (skipped ones are listed), 1 a scenario failed or the deployment
            cannot be reached (one line names the URL and the cause), 2 bad usage.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        "base-url": { type: "string" },
        "admin-token": { type: "string" },
        "project-key": { type: "string" },
        "other-project-key": { type: "string" },
        "reseller-key": { type: "string" },
        dialect: { type: "string" },
        seed: { type: "string", default: "1" },
        "fuzz-cases": { type: "string", default: "2000" },
        junit: { type: "string" },
        keep: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const baseUrl = values["base-url"];
  // Keys-only mode when a project key is given: then the environment's admin token is not used.
  const keysOnly = Boolean(values["project-key"] || values["other-project-key"] || values["reseller-key"]);
  const adminToken = keysOnly ? values["admin-token"] : (values["admin-token"] ?? process.env.COMMLOG_ADMIN_TOKEN);
  const keys = keysOnly ? { project: values["project-key"] ?? "", otherProject: values["other-project-key"] ?? "", ...(values["reseller-key"] ? { reseller: values["reseller-key"] } : {}) } : undefined;
  const dialects = (values.dialect ?? allDialects.join(",")).split(",").map((d) => d.trim()).filter(Boolean);
  const seed = Number(values.seed);
  const fuzzCases = Number(values["fuzz-cases"]);
  const problems = [
    !baseUrl && "--base-url is required",
    !keysOnly && !adminToken && "--admin-token (or COMMLOG_ADMIN_TOKEN) is required, or --project-key and --other-project-key (keys-only mode)",
    keysOnly && adminToken && "--admin-token and the keys of keys-only mode exclude each other",
    keys && (!keys.project || !keys.otherProject) && "keys-only mode needs both --project-key and --other-project-key",
    keys && keys.project && keys.project === keys.otherProject && "--project-key and --other-project-key must be keys of two different tenants",
    baseUrl && !URL.canParse(baseUrl) && `--base-url is not a URL: ${baseUrl}`,
    ...dialects.filter((d) => !(allDialects as readonly string[]).includes(d)).map((d) => `unknown dialect ${d}`),
    !Number.isSafeInteger(seed) && "--seed must be an integer",
    !(Number.isSafeInteger(fuzzCases) && fuzzCases >= 0) && "--fuzz-cases must be a non-negative integer",
  ].filter(Boolean);
  if (problems.length) {
    process.stderr.write(`${problems.join("\n")}\n\n${usage}\n`);
    return 2;
  }

  // A dead URL is one clear line, not every scenario failing with "fetch failed".
  const cause = await unreachable(baseUrl!);
  if (cause) {
    process.stderr.write(`cannot reach ${baseUrl}: ${cause}\n`);
    // 1, as when provisioning fails: a CI job sees the run fail the way it always did.
    return 1;
  }

  const started = Date.now();
  process.stdout.write(
    keys
      ? `commlog-conformance against ${baseUrl} in keys-only mode (dialects ${dialects.join(", ")}; nothing is written, scenarios that need provisioning are skipped)\n`
      : `commlog-conformance against ${baseUrl} (dialects ${dialects.join(", ")}, seed ${seed}, ${fuzzCases} fuzz cases)\n`,
  );
  let done = 0;
  const results = await runConformance({
    baseUrl: baseUrl!,
    ...(keys ? { keys } : { adminToken: adminToken! }),
    dialects: dialects as Dialect[],
    seed,
    fuzzCases,
    keep: values.keep,
    onResult: () => {
      done++;
      if (!values.quiet && process.stdout.isTTY && done % 50 === 0) process.stdout.write(`\r${done} scenarios…`);
    },
  });
  if (!values.quiet && process.stdout.isTTY) process.stdout.write("\r");
  process.stdout.write(`${summary(results)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  if (values.junit) writeFileSync(values.junit, junit(results));
  return results.some((r) => r.outcome === "failed") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`commlog-conformance crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
