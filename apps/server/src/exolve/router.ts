import { exolveWindow, parseExolveGetCount } from "@commlog/domain";
import type { Exolve } from "@commlog/contracts";
import { Router } from "express";
import type { Reads } from "../db/replicas.js";
import { principalOf } from "../http/access.js";
import { countProjectSms } from "./sms-count.js";

/** The Exolve dialect (seed 003): `POST /messaging/v1/GetCount`, read-only, so on a read replica when one is healthy. */
export function exolveRouter({ reads }: { reads: Reads }): Router {
  const router = Router({ caseSensitive: true, strict: true });

  router.post("/messaging/v1/GetCount", async (req, res) => {
    const principal = principalOf(res);
    // The security handler admits project keys only (anything else is 401 "authorization token is invalid").
    if (principal.kind !== "project") throw new Error(`Exolve GetCount reached with a ${principal.kind} principal`);
    const filter = parseExolveGetCount(req.body);
    const total = await reads((db) => countProjectSms(db, principal.projectId, filter));
    const body: Exolve.GetCountResponse = { count: exolveWindow(BigInt(total), filter.offset, filter.limit).toString() };
    res.json(body);
  });
  return router;
}
