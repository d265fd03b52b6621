import { mayFilterByMessage, telecomxMonthRange } from "@commlog/domain";
import type { TelecomX } from "@commlog/contracts";
import { Router } from "express";
import type { Reads } from "../db/replicas.js";
import { principalOf } from "../http/access.js";
import { HttpError } from "../http/errors.js";
import { isOwnProjectOnly, resolveCustomerScope, telecomxCaller } from "./customer-scope.js";
import { given, recipientDigits, senderFilter, textContainsPattern } from "./filters.js";
import { presentMessage } from "./presenter.js";
import { listOutgoingSms } from "./sms-repository.js";

/**
 * The query after validation: the validator has coerced numbers and booleans and applied the
 * defaults of offset, limit and names. Not that of `sort`: the emitted OpenAPI writes it beside a
 * `$ref`, where JSON Schema ignores it, so the handler applies it.
 */
type ListParameters = Required<Pick<NonNullable<TelecomX.SmsListParameters["query"]>, "offset" | "limit" | "names">> &
  Omit<NonNullable<TelecomX.SmsListParameters["query"]>, "offset" | "limit" | "names">;

/** The TelecomX dialect (seed 002): `GET /sms`, read-only, so on a read replica when one is healthy. */
export function telecomxRouter({ reads }: { reads: Reads }): Router {
  const router = Router({ caseSensitive: true, strict: true });

  router.get("/sms", async (req, res) => {
    const params = req.query as unknown as ListParameters;
    const principal = principalOf(res);
    const caller = telecomxCaller(principal);
    const scope = await reads((db) => resolveCustomerScope(db, principal, given(params.customer)));
    const text = given(params.message);
    // The text filter would be an oracle for hidden text wherever a row it could match is not visible in full.
    if (text !== undefined && !mayFilterByMessage(caller.level, isOwnProjectOnly(scope, caller))) {
      throw new HttpError(403, "access_denied", "Insufficient access level");
    }
    const to = given(params.to);
    const from = given(params.from);

    const { total, rows } = await reads((db) => listOutgoingSms(db, {
      scope,
      sort: params.sort ?? "CREATED",
      range: telecomxMonthRange(given(params.fromDate), given(params.toDate)),
      ...(to !== undefined ? { toDigits: recipientDigits(to) } : {}),
      ...(from !== undefined ? { sender: senderFilter(from) } : {}),
      ...(text !== undefined ? { textPattern: textContainsPattern(text) } : {}),
      offset: params.offset,
      limit: params.limit,
    }));

    const body: TelecomX.SmsList = {
      offset: params.offset,
      limit: params.limit,
      total,
      messages: rows.map((row) => presentMessage(row, caller, params.names)),
    };
    res.json(body);
  });
  return router;
}
