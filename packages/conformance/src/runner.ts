import type { Dialect } from "@commlog/contracts";
import { send, target, type HttpRequest, type HttpResponse } from "./http.js";
import { checkExpect, resultOf, type Scenario, type ScenarioResult } from "./scenario.js";
import { selectionProblems } from "./selection.js";
import type { DialectContract } from "./validation.js";

/** Which dialect a request path belongs to (for validating requests that scenarios send on the side). */
export function dialectOf(path: string): Dialect {
  if (path.startsWith("/api/")) return "status200";
  if (path.startsWith("/internal/")) return "internal";
  if (path.startsWith("/messaging")) return "exolve";
  return "telecomx";
}

/** The request line as shown in reports, clipped (fuzz cases can carry very long values). */
export function shown(req: HttpRequest): string {
  const t = target(req);
  return t.length > 200 ? `${t.slice(0, 160)}…(${t.length} chars)…${t.slice(-30)}` : t;
}

const carriesKey = (req: HttpRequest) => Object.keys(req.headers ?? {}).some((h) => /^(apikey|authorization)$/i.test(h));

/**
 * Sends a request and returns the response with the problems the contract itself finds: the status
 * is documented for the operation, the body matches its schema, and an authenticated answer of a
 * public dialect carries `Cache-Control: no-store` (SPEC §9 "HTTP"), and a Status200 read returns
 * exactly the fields it selected.
 */
export async function sendChecked(
  baseUrl: string,
  contracts: Record<Dialect, DialectContract>,
  req: HttpRequest,
): Promise<{ res: HttpResponse; problems: string[] }> {
  const dialect = dialectOf(req.path);
  let res: HttpResponse;
  try {
    res = await send(baseUrl, req);
  } catch (error) {
    const res: HttpResponse = { status: 0, headers: {}, text: String(error), json: undefined, isJson: false };
    return { res, problems: [`${req.method} ${shown(req)}: no response (${error instanceof Error ? error.message : String(error)})`] };
  }
  const problems = contracts[dialect].validateResponse(req.method, req.path, res).map((p) => `${req.method} ${shown(req)}: ${p}`);
  if (res.status >= 500 && res.status !== 503) problems.push(`${req.method} ${shown(req)}: server error ${res.status}: ${res.text.slice(0, 200)}`);
  if (dialect === "status200") problems.push(...selectionProblems(req, res).map((p) => `${req.method} ${shown(req)}: ${p}`));
  const documented = contracts[dialect].match(req.method, req.path);
  if (dialect !== "internal" && documented && carriesKey(req) && ![400, 401, 413, 415].includes(res.status) && res.status < 500) {
    const cc = String(res.headers["cache-control"] ?? "");
    if (!/no-store/i.test(cc)) problems.push(`${req.method} ${shown(req)}: authenticated response ${res.status} lacks Cache-Control: no-store`);
  }
  return { res, problems };
}

/** Runs scenarios one after the other (their data depend on each other only where a flow says so). */
export async function runScenarios(
  baseUrl: string,
  contracts: Record<Dialect, DialectContract>,
  scenarios: Scenario[],
  onResult?: (r: ScenarioResult) => void,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const started = performance.now();
    const problems: string[] = [];
    let skipReason: string | undefined;
    const checkedSend = async (req: HttpRequest) => {
      const { res, problems: p } = await sendChecked(baseUrl, contracts, req);
      problems.push(...p);
      return res;
    };
    try {
      if ("run" in scenario) {
        // A flow's own problems name the case that failed: they go first (the summary shows the first few).
        problems.unshift(...(await scenario.run(checkedSend, { skip: (reason) => void (skipReason = reason) })));
      } else {
        const steps = [{ request: scenario.request, expect: scenario.expect }, ...(scenario.then ?? [])];
        for (const [index, step] of steps.entries()) {
          const res = await checkedSend(step.request);
          const prefix = index === 0 ? "" : `then ${step.request.method} ${target(step.request)}: `;
          problems.push(...checkExpect(step.expect, res).map((p) => prefix + p));
        }
      }
    } catch (error) {
      problems.push(`the scenario threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    const result = resultOf(scenario, problems, performance.now() - started, skipReason);
    results.push(result);
    onResult?.(result);
  }
  return results;
}
