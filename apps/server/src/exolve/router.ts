import { exolveWindow, parseExolveGetCount } from "@commlog/domain";
import type { Reads } from "../db/replicas.js";
import { principalOf } from "../http/access.js";
import { operationsRouter, type OperationHandler, type OperationsRouter } from "../http/operations.js";
import { countProjectSms } from "./sms-count.js";

/** The Exolve dialect (seed 003): `POST /messaging/v1/GetCount`, read-only, so on a read replica when one is healthy. */
export function exolveRouter({ reads }: { reads: Reads }): OperationsRouter<"exolve"> {
  const getCount: OperationHandler<"exolve", "Messages_getCount"> = async ({ body, res }) => {
    const principal = principalOf(res);
    // The security handler admits project keys only (anything else is 401 "authorization token is invalid").
    if (principal.kind !== "project") throw new Error(`Exolve GetCount reached with a ${principal.kind} principal`);
    // The domain parses the body again: both spellings of a field, enums by name or number, 64-bit integers as BigInt.
    const filter = parseExolveGetCount(body);
    const total = await reads((db) => countProjectSms(db, principal.projectId, filter));
    return { count: exolveWindow(BigInt(total), filter.offset, filter.limit).toString() };
  };
  return operationsRouter("exolve", { Messages_getCount: getCount });
}
