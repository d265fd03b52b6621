import { mayFilterByMessage, telecomxMonthRange } from "@commlog/domain";
import type { Reads } from "../db/replicas.js";
import { principalOf } from "../http/access.js";
import { HttpError } from "../http/errors.js";
import { operationsRouter, type OperationHandler, type OperationsRouter, type QueryParameters } from "../http/operations.js";
import { isOwnProjectOnly, resolveCustomerScope, telecomxCaller } from "./customer-scope.js";
import { given, recipientDigits, senderFilter, textContainsPattern } from "./filters.js";
import { presentMessage } from "./presenter.js";
import { listOutgoingSms } from "./sms-repository.js";

/**
 * The query after validation: the validator has coerced numbers and booleans and applied the
 * defaults of offset, limit and names. Not that of `sort`: the emitted OpenAPI writes it beside a
 * `$ref`, where JSON Schema ignores it, so the handler applies it.
 */
type ListParameters = Required<Pick<QueryParameters<"telecomx", "Sms_list">, "offset" | "limit" | "names">> &
  Omit<QueryParameters<"telecomx", "Sms_list">, "offset" | "limit" | "names">;

/** The TelecomX dialect (seed 002): `GET /sms`, read-only, so on a read replica when one is healthy. */
export function telecomxRouter({ reads }: { reads: Reads }): OperationsRouter<"telecomx"> {
  const list: OperationHandler<"telecomx", "Sms_list"> = async ({ query, res }) => {
    const params = query as ListParameters;
    const principal = principalOf(res);
    const caller = telecomxCaller(principal);
    const scope = await reads((db) => resolveCustomerScope(db, principal, given(params.customer)));
    const text = given(params.message);
    // The text filter would be an oracle for hidden text wherever a row it could match is not visible in full.
    if (text !== undefined && !mayFilterByMessage(caller.level, isOwnProjectOnly(scope, caller))) {
      throw new HttpError(403, "forbidden", "Insufficient access level");
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

    return {
      offset: params.offset,
      limit: params.limit,
      total,
      messages: rows.map((row) => presentMessage(row, caller, params.names)),
    };
  };
  return operationsRouter("telecomx", { Sms_list: list });
}
