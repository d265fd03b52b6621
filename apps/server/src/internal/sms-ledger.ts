import { randomUUID } from "node:crypto";
import {
  advanceDeliveryStatus,
  deriveStatusText,
  DomainError,
  exolveStatus,
  invalid,
  phoneDigits,
  resolveIngestStatus,
  SMS_LOG,
  statusTextImplies,
  type BillingStatus,
  type DeliveryStatus,
  type SmsStatusText,
} from "@commlog/domain";
import type { Internal } from "@commlog/contracts";
import { In, type DataSource, type EntityManager } from "typeorm";
import { decodeMessageId, encodeMessageId, ProjectEntity, SmsEntity, type Sms } from "../db/entities.js";
import { HttpError } from "../http/errors.js";
import { bulkInsert } from "../db/bulk-insert.js";
import { applyStatusCounts } from "../db/sms-status-counts.js";
import { nextMessageId } from "./message-ids.js";

const SMS_TEXT_MAX_BYTES = 1024;
const MMS_MAX_BYTES = 512 * 1024;
type RelationIdName = Exclude<Extract<keyof Internal.SmsIngest, `${string}Id`>, "projectId" | "messageId" | "providerExternalId">;

/** The Status200 relation ids of an SMS (alertId, incidentId, ...), as the SMS Log catalog lists them. */
const RELATION_IDS = SMS_LOG.fields.filter((field) => field.relation && field.name !== "projectId").map((field) => field.name as RelationIdName);

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);

/** Message text limits (SPEC §9): SMS at most 1024 UTF-8 bytes, MMS base64 of at most 512 KiB. */
function checkText(message: Internal.SmsIngest, field: string) {
  if (message.smsText == null) return;
  if (message.type === "MMS") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(message.smsText) || Buffer.from(message.smsText, "base64").length > MMS_MAX_BYTES) {
      throw invalid(`${field}.smsText`, "MMS raw data must be base64 of at most 512 KiB");
    }
  } else if (Buffer.byteLength(message.smsText, "utf8") > SMS_TEXT_MAX_BYTES) {
    throw invalid(`${field}.smsText`, "SMS text is at most 1024 UTF-8 bytes");
  }
}

/** One validated ingest message -> a ledger row; every derived column computed here, at write time. */
function toRow(message: Internal.SmsIngest, field: string, now: Date): Sms {
  checkText(message, field);
  let status;
  try {
    status = resolveIngestStatus(message);
  } catch (error) {
    if (error instanceof DomainError) throw invalid(`${field}.${error.field ?? "status"}`, error.message, error.code);
    throw error;
  }
  const createdAt = message.createdAt ? new Date(message.createdAt) : now;
  const sent = status.deliveryStatus === "transmitted" || status.deliveryStatus === "delivered";
  const prohibited = message.prohibited ?? false;
  const row: Sms = {
    _id: randomUUID(),
    messageId: encodeMessageId(message.messageId ?? nextMessageId()),
    projectId: message.projectId.toLowerCase(),
    createdAt,
    updatedAt: now,
    direction: message.direction ?? "outgoing",
    type: message.type ?? "SMS",
    fromNumber: message.fromNumber ?? null,
    fromNumberDigits: message.fromNumber ? phoneDigits(message.fromNumber) : null,
    senderName: message.senderName ?? null,
    senderNameLower: lower(message.senderName),
    toNumber: message.toNumber,
    toNumberDigits: phoneDigits(message.toNumber),
    smsText: message.smsText ?? null,
    deliveryStatus: status.deliveryStatus,
    billingStatus: status.billingStatus,
    status: status.status,
    exolveStatus: exolveStatus({ ...status, prohibited }),
    prohibited,
    statusMessage: message.statusMessage ?? null,
    errorCode: message.errorCode ?? null,
    providerExternalId: message.providerExternalId ?? null,
    smsCostInUSDCents: message.smsCostInUSDCents ?? 0,
    cost: message.cost ?? null,
    wholeSale: message.wholeSale ?? null,
    price: message.price ?? null,
    sentAt: message.sentAt ? new Date(message.sentAt) : sent ? createdAt : null,
    invoicedAt: message.invoicedAt ? new Date(message.invoicedAt) : null,
    fromName: message.fromName ?? null,
    toName: message.toName ?? null,
    groupName: message.groupName ?? null,
  } as Sms;
  for (const key of RELATION_IDS) row[key] = message[key]?.toLowerCase() ?? null;
  return row;
}

const idempotencyKey = (row: Pick<Sms, "projectId" | "providerExternalId" | "toNumberDigits">) =>
  `${row.projectId}\u0000${row.providerExternalId}\u0000${row.toNumberDigits}`;

/** Rows per idempotency look-up: keeps every statement far below SQLite's bound-parameter limit. */
const LOOKUP_CHUNK = 500;

/**
 * Records up to 1000 SMS in one transaction: all or nothing. A message whose
 * (projectId, providerExternalId, digits of toNumber) is already in the ledger, or earlier in the
 * batch, is not written again: its existing ids come back marked `duplicate` (first write wins).
 * A concurrent replay that loses the race on the unique index is retried once, and then finds the
 * winner's rows.
 */
export async function ingestSms(dataSource: DataSource, messages: Internal.SmsIngest[]): Promise<Internal.SmsIngestResult[]> {
  const now = new Date();
  const rows = messages.map((message, i) => toRow(message, `messages[${i}]`, now));
  try {
    return await dataSource.transaction((manager) => writeBatch(manager, rows));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return dataSource.transaction((manager) => writeBatch(manager, rows));
  }
}

async function writeBatch(manager: EntityManager, rows: Sms[]): Promise<Internal.SmsIngestResult[]> {
  const projectIds = [...new Set(rows.map((row) => row.projectId))];
  const known = await manager.getRepository(ProjectEntity).findBy({ _id: In(projectIds) });
  const missing = rows.findIndex((row) => !known.some((project) => project._id === row.projectId));
  if (missing >= 0) throw invalid(`messages[${missing}].projectId`, "no such project");

  const existing = new Map<string, Sms>();
  const keyed = rows.filter((row) => row.providerExternalId !== null);
  for (let i = 0; i < keyed.length; i += LOOKUP_CHUNK) {
    const chunk = keyed.slice(i, i + LOOKUP_CHUNK);
    const found = await manager.getRepository(SmsEntity).find({
      select: { _id: true, messageId: true, projectId: true, providerExternalId: true, toNumberDigits: true },
      where: { providerExternalId: In(chunk.map((row) => row.providerExternalId!)), projectId: In(projectIds) },
    });
    for (const row of found) existing.set(idempotencyKey(row), row);
  }

  const results: Internal.SmsIngestResult[] = [];
  const fresh: Sms[] = [];
  for (const row of rows) {
    const key = row.providerExternalId !== null ? idempotencyKey(row) : undefined;
    const earlier = key ? existing.get(key) : undefined;
    if (earlier) {
      results.push({ _id: earlier._id, messageId: decodeMessageId(earlier.messageId), duplicate: true });
      continue;
    }
    if (key) existing.set(key, row);
    fresh.push(row);
    results.push({ _id: row._id, messageId: decodeMessageId(row.messageId), duplicate: false });
  }
  await bulkInsert(manager, SmsEntity, fresh);
  await applyStatusCounts(manager, fresh.map(({ projectId, direction, status }) => ({ projectId, direction, status, n: 1 })));
  return results;
}

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(message ?? "");
}

/**
 * The delivery webhook (SPEC §9): find one message by `_id`, or by `projectId` +
 * `providerExternalId` (+ `toNumber` when several recipients share it); no match 404, ambiguous
 * 409; never across tenants. Delivery status only moves forward; every derived column (and
 * `sentAt` when first transmitted) is recomputed in the same transaction.
 */
export async function updateSmsStatus(dataSource: DataSource, update: Internal.SmsStatusUpdate): Promise<Internal.SmsStatusUpdateResult> {
  return dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(SmsEntity);
    let candidates: Sms[];
    if (update._id) {
      candidates = await repository.findBy({ _id: update._id.toLowerCase(), ...(update.projectId ? { projectId: update.projectId.toLowerCase() } : {}) });
    } else if (update.projectId && update.providerExternalId) {
      candidates = await repository.findBy({
        projectId: update.projectId.toLowerCase(),
        providerExternalId: update.providerExternalId,
        ...(update.toNumber ? { toNumberDigits: phoneDigits(update.toNumber) } : {}),
      });
    } else {
      throw invalid("_id", "identify the message by _id, or by projectId and providerExternalId");
    }
    if (candidates.length === 0) throw new HttpError(404, "not_found", "no such message");
    if (candidates.length > 1) throw new HttpError(409, "conflict", "several messages match: add toNumber");
    const row = candidates[0]!;

    const implied = update.status ? statusTextImplies(update.status as SmsStatusText) : {};
    const requestedDelivery = update.deliveryStatus ?? implied.delivery;
    const requestedBilling = update.billingStatus ?? implied.billing;
    if (update.deliveryStatus && implied.delivery && update.deliveryStatus !== implied.delivery) {
      throw invalid("status", `deliveryStatus "${update.deliveryStatus}" contradicts status "${update.status}"`, "contradictory_status");
    }
    const deliveryStatus = requestedDelivery ? advanceDeliveryStatus(row.deliveryStatus as DeliveryStatus, requestedDelivery) : (row.deliveryStatus as DeliveryStatus);
    const billingStatus = (requestedBilling ?? row.billingStatus) as BillingStatus;
    const now = new Date();
    const next: Partial<Sms> = {
      deliveryStatus,
      billingStatus,
      status: deriveStatusText(deliveryStatus, billingStatus),
      exolveStatus: exolveStatus({ deliveryStatus, billingStatus, prohibited: row.prohibited }),
      ...(update.statusMessage !== undefined ? { statusMessage: update.statusMessage } : {}),
      ...(update.errorCode !== undefined ? { errorCode: update.errorCode } : {}),
      ...(update.invoicedAt !== undefined ? { invoicedAt: update.invoicedAt ? new Date(update.invoicedAt) : null } : {}),
    };
    if (update.sentAt !== undefined) next.sentAt = update.sentAt ? new Date(update.sentAt) : null;
    else if (!row.sentAt && deliveryStatus !== "queued") next.sentAt = now;

    const changed = (Object.keys(next) as (keyof Sms)[]).some((key) => String(next[key]) !== String(row[key]));
    if (changed) await repository.update({ _id: row._id }, { ...next, updatedAt: now });
    if (next.status !== row.status) {
      await applyStatusCounts(manager, [
        { projectId: row.projectId, direction: row.direction, status: row.status, n: -1 },
        { projectId: row.projectId, direction: row.direction, status: next.status!, n: 1 },
      ]);
    }
    return { _id: row._id, deliveryStatus, billingStatus, status: next.status as Internal.SmsStatusUpdateResult["status"], changed };
  });
}
