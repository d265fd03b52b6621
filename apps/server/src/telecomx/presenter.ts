import { telecomxVisibleFields, toE164Display } from "@commlog/domain";
import type { TelecomX } from "@commlog/contracts";
import type { ListedSms } from "./sms-repository.js";
import type { TelecomxCaller } from "./customer-scope.js";

/**
 * A ledger row as a TelecomX message. Whitelists what leaves the server: the caller's access level
 * decides message/cost/wholeSale (domain visibility), and properties without a value are omitted,
 * except `sent`, which is always present (null while unsent).
 */
export function presentMessage(row: ListedSms, caller: TelecomxCaller, names: boolean): TelecomX.Message {
  const visible = telecomxVisibleFields(caller.level, row.projectId === caller.ownProjectId);
  const message: TelecomX.Message = {
    _id: row._id,
    customer: row.projectId,
    type: row.type,
    // `from` is required by the contract: the sender name, else the number, else "" (neither recorded).
    from: row.senderName ?? (row.fromNumber ? toE164Display(row.fromNumber) : ""),
    to: [toE164Display(row.toNumber)],
    sent: row.sentAt?.toISOString() ?? null,
  };
  if (visible.message && row.smsText) message.message = row.smsText;
  if (visible.cost && row.cost !== null) message.cost = row.cost;
  if (visible.wholeSale && row.wholeSale !== null) message.wholeSale = row.wholeSale;
  if (visible.price && row.price !== null) message.price = row.price;
  if (names) {
    if (row.fromName !== null) message.fromName = row.fromName;
    if (row.toName !== null) message.toName = [row.toName];
    if (row.groupName !== null) message.groupName = row.groupName;
  }
  return message;
}
