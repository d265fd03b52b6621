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
import { In, type DataSource, type EntityManager, type FindOptionsWhere } from "typeorm";
import { engineOf } from "../db/data-source.js";
import { decodeMessageId, encodeMessageId, ProjectEntity, SmsEntity, type Sms } from "../db/entities.js";
import { HttpError } from "../http/errors.js";
import { bulkInsert, insertRows } from "../db/bulk-insert.js";
import { applyRollupChanges, rollupChange } from "../db/sms-rollups.js";
import { allocateMessageIds } from "./message-ids.js";

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
    messageId: message.messageId ? encodeGivenMessageId(message.messageId, field) : "",
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

/** A caller's `messageId` (the pattern already made it 1 to 19 digits): at most 2^63-1. */
function encodeGivenMessageId(value: string, field: string): string {
  if (BigInt(value) > MAX_MESSAGE_ID) throw invalid(`${field}.messageId`, `must be at most ${MAX_MESSAGE_ID}`);
  return encodeMessageId(value);
}

const idempotencyKey = (row: Pick<Sms, "projectId" | "providerExternalId" | "toNumberDigits">) =>
  `${row.projectId}\u0000${row.providerExternalId}\u0000${row.toNumberDigits}`;

/** Rows per look-up: keeps every statement far below SQLite's bound-parameter limit. */
const LOOKUP_CHUNK = 500;

/** Attempts of one batch (retryable database errors), and rounds of fresh ids for rows whose server-made id was taken. */
const ATTEMPTS = 4;

/** The largest `messageId` the ledger stores (SPEC §10: 1..2^63-1). */
const MAX_MESSAGE_ID = (1n << 63n) - 1n;

/**
 * Records up to 1000 SMS in one transaction: all or nothing. A message whose
 * (projectId, providerExternalId, digits of toNumber) is already in the ledger, or earlier in the
 * batch, is not written again: its existing ids come back marked `duplicate` (first write wins).
 *
 * Concurrent batches that overlap in idempotency keys never fail: each batch claims its keys in
 * key order (sms_key, ON CONFLICT DO NOTHING: two batches wait for each other's keys in the same
 * order and cannot deadlock), then its message ids (sms_message_id), and writes only the messages
 * whose claims it won; the keys another batch won are read back as that message's ids. A
 * `messageId` given by the caller that another message of the project already holds is a 409; ids
 * the server makes skip the ones imported into the project.
 */
export async function ingestSms(dataSource: DataSource, messages: Internal.SmsIngest[]): Promise<Internal.SmsIngestResult[]> {
  const now = new Date();
  const rows = messages.map((message, i) => toRow(message, `messages[${i}]`, now));
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction((manager) => writeBatch(manager, rows));
    } catch (error) {
      if (attempt < ATTEMPTS && isRetryable(error)) continue;
      throw error;
    }
  }
}

/** One attempt: the first message of each idempotency key is a candidate, later ones point at it. */
async function writeBatch(manager: EntityManager, rows: Sms[]): Promise<Internal.SmsIngestResult[]> {
  const projectIds = [...new Set(rows.map((row) => row.projectId))];
  const known = await manager.getRepository(ProjectEntity).findBy({ _id: In(projectIds) });
  const missing = rows.findIndex((row) => !known.some((project) => project._id === row.projectId));
  if (missing >= 0) throw invalid(`messages[${missing}].projectId`, "no such project");

  const firstOfKey = new Map<string, number>();
  const sameAs = rows.map((row, i) => {
    if (row.providerExternalId === null) return i;
    const key = idempotencyKey(row);
    if (!firstOfKey.has(key)) firstOfKey.set(key, i);
    return firstOfKey.get(key)!;
  });
  const candidates = rows.map((row, i) => ({ row, i })).filter(({ i }) => sameAs[i] === i);
  const generated = new Set(candidates.filter(({ row }) => !row.messageId).map(({ row }) => row));

  await checkGivenMessageIds(manager, candidates);
  const ids = await allocateMessageIds(manager, generated.size);
  [...generated].forEach((row, n) => (row.messageId = encodeMessageId(ids[n]!)));

  // 1. Each idempotency key is claimed in sms_key, in key order: concurrent batches wait for each
  //    other's keys in the same order and cannot deadlock. A key another message holds is a
  //    replay, answered with that message's ids.
  const keyed = candidates.map(({ row }) => row).filter((row) => row.providerExternalId !== null).sort(compareKeys);
  const claimedKeys = new Set(await claim(manager, "sms_key", ["projectId", "providerExternalId", "toNumberDigits", "smsId", "messageId", "createdAt"], keyed));
  const winners = await findByKeys(manager, keyed.filter((row) => !claimedKeys.has(row._id)));
  const writing = candidates.map(({ row }) => row).filter((row) => row.providerExternalId === null || claimedKeys.has(row._id));

  // 2. Each message id is claimed in sms_message_id. One the caller gave was checked above (a
  //    concurrent import may still take it: 409); one the server made may be an id imported into
  //    the project, and is replaced by a fresh one.
  let pending = writing;
  for (let round = 1; pending.length > 0; round++) {
    const claimedIds = new Set(await claim(manager, "sms_message_id", ["projectId", "messageId", "smsId", "createdAt"], [...pending].sort(compareMessageIds)));
    pending = pending.filter((row) => !claimedIds.has(row._id));
    if (pending.some((row) => !generated.has(row))) throw new HttpError(409, "conflict", "a messageId of this batch was just used by another message of its project");
    if (pending.length > 0 && round === ATTEMPTS) throw new Error("no free message ids after several rounds");
    const fresh = await allocateMessageIds(manager, pending.length);
    pending.forEach((row, n) => (row.messageId = encodeMessageId(fresh[n]!)));
    await updateKeyMessageIds(manager, pending.filter((row) => row.providerExternalId !== null));
  }

  // 3. The messages themselves, and the rollups.
  await bulkInsert(manager, SmsEntity, writing);
  const inserted = new Set(writing.map((row) => row._id));
  await applyRollupChanges(manager, writing.map((row) => rollupChange(row, 1)));

  return rows.map((row, i) => {
    const first = rows[sameAs[i]!]!;
    const stored = inserted.has(first._id) ? first : winners.get(idempotencyKey(first));
    if (!stored) throw new Error(`message ${i} was neither inserted nor found by its idempotency key`);
    return { _id: stored._id, messageId: decodeMessageId(stored.messageId), duplicate: stored !== row };
  });
}

/**
 * A `messageId` given by the caller must be new in its project (SPEC §10): used twice in the batch,
 * or already held by a message with another idempotency key, is a 409 naming the message. (One held
 * by the same key is a replay, answered as a duplicate.)
 */
async function checkGivenMessageIds(manager: EntityManager, candidates: Array<{ row: Sms; i: number }>): Promise<void> {
  const given = candidates.filter(({ row }) => row.messageId);
  const seen = new Map<string, number>();
  for (const { row, i } of given) {
    const key = `${row.projectId}\u0000${row.messageId}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw conflict(i, row, `is also the messageId of messages[${earlier}]`);
    seen.set(key, i);
  }
  for (let start = 0; start < given.length; start += LOOKUP_CHUNK) {
    const chunk = given.slice(start, start + LOOKUP_CHUNK);
    const holders = await manager.getRepository(SmsEntity).find({
      select: { projectId: true, messageId: true, providerExternalId: true, toNumberDigits: true },
      where: { projectId: In([...new Set(chunk.map(({ row }) => row.projectId))]), messageId: In(chunk.map(({ row }) => row.messageId)) },
    });
    for (const holder of holders) {
      const clash = chunk.find(({ row }) => row.projectId === holder.projectId && row.messageId === holder.messageId);
      const replay = clash && clash.row.providerExternalId !== null && holder.providerExternalId !== null && idempotencyKey(clash.row) === idempotencyKey(holder);
      if (clash && !replay) throw conflict(clash.i, clash.row, "is already used by another message of this project");
    }
  }
}

const conflict = (i: number, row: Sms, why: string) => new HttpError(409, "conflict", `messages[${i}].messageId: ${decodeMessageId(row.messageId)} ${why}`);

/** The messages holding these rows' idempotency keys (from sms_key), by key. */
async function findByKeys(manager: EntityManager, rows: Sms[]): Promise<Map<string, Pick<Sms, "_id" | "messageId">>> {
  const found = new Map<string, Pick<Sms, "_id" | "messageId">>();
  const p = (i: number) => manager.connection.driver.createParameter(`p${i}`, i);
  for (let start = 0; start < rows.length; start += LOOKUP_CHUNK) {
    const chunk = rows.slice(start, start + LOOKUP_CHUNK);
    const projects = [...new Set(chunk.map((row) => row.projectId))];
    const stored = (await manager.query(
      `SELECT "projectId", "providerExternalId", "toNumberDigits", "smsId", "messageId" FROM sms_key
       WHERE "projectId" IN (${projects.map((_, i) => p(i)).join(", ")}) AND "providerExternalId" IN (${chunk.map((_, i) => p(projects.length + i)).join(", ")})`,
      [...projects, ...chunk.map((row) => row.providerExternalId)],
    )) as Array<Pick<Sms, "projectId" | "providerExternalId" | "toNumberDigits" | "messageId"> & { smsId: string }>;
    for (const row of stored) found.set(idempotencyKey(row), { _id: row.smsId, messageId: row.messageId });
  }
  return found;
}

/** Claims one row per message in a uniqueness table (sms_key, sms_message_id); returns the ids of the messages that got theirs. */
async function claim(manager: EntityManager, table: string, columns: Array<keyof Sms | "smsId">, rows: Sms[]): Promise<string[]> {
  const metadata = manager.connection.getMetadata(SmsEntity);
  const { driver } = manager.connection;
  const source = (name: keyof Sms | "smsId") => metadata.findColumnWithPropertyName(name === "smsId" ? "_id" : name)!;
  return insertRows(
    manager,
    table,
    columns.map((name) => ({ name, type: String(source(name).type) })),
    rows.map((row) => columns.map((name) => driver.preparePersistentValue(source(name).getEntityValue(row), source(name)))),
    { skipConflicts: true, returning: "smsId" },
  );
}

/** The new message ids of rows whose key was claimed with the id they had to give up. */
async function updateKeyMessageIds(manager: EntityManager, rows: Sms[]): Promise<void> {
  const p = (i: number) => manager.connection.driver.createParameter(`p${i}`, i);
  for (const row of rows) {
    await manager.query(`UPDATE sms_key SET "messageId" = ${p(0)} WHERE "projectId" = ${p(1)} AND "smsId" = ${p(2)}`, [row.messageId, row.projectId, row._id]);
  }
}

/** Message-id order within a project: the order in which every batch claims its ids. */
function compareMessageIds(a: Sms, b: Sms): number {
  const [x, y] = [`${a.projectId}\u0000${a.messageId}`, `${b.projectId}\u0000${b.messageId}`];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Idempotency-key order: the order in which every batch claims its keys. */
function compareKeys(a: Sms, b: Sms): number {
  const [x, y] = [idempotencyKey(a), idempotencyKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function errorCode(error: unknown): string | undefined {
  const { code, driverError } = (error ?? {}) as { code?: string; driverError?: { code?: string } };
  return code ?? driverError?.code;
}

/**
 * A deadlock (40P01) or serialization failure (40001), which PostgreSQL asks the client to retry,
 * or a project deleted meanwhile (23503: the retry then answers "no such project").
 */
function isRetryable(error: unknown): boolean {
  return ["40P01", "40001", "23503", "SQLITE_CONSTRAINT_FOREIGNKEY"].includes(errorCode(error) ?? "");
}

/**
 * The delivery webhook (SPEC §9): find one message by `_id`, or by `projectId` +
 * `providerExternalId` (+ `toNumber` when several recipients share it); no match 404, ambiguous
 * 409; never across tenants. Delivery status only moves forward; every derived column (and
 * `sentAt` when first transmitted) is recomputed in the same transaction.
 */
export async function updateSmsStatus(dataSource: DataSource, update: Internal.SmsStatusUpdate): Promise<Internal.SmsStatusUpdateResult> {
  let where: FindOptionsWhere<Sms>;
  if (update._id) {
    where = { _id: update._id.toLowerCase(), ...(update.projectId ? { projectId: update.projectId.toLowerCase() } : {}) };
  } else if (update.projectId && update.providerExternalId) {
    where = {
      projectId: update.projectId.toLowerCase(),
      providerExternalId: update.providerExternalId,
      ...(update.toNumber ? { toNumberDigits: phoneDigits(update.toNumber) } : {}),
    };
  } else {
    throw invalid("_id", "identify the message by _id, or by projectId and providerExternalId");
  }
  return dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(SmsEntity);
    // The row is locked until commit (PostgreSQL; SQLite has one writer at a time): concurrent
    // webhooks for one message apply one after another, each to what the previous one left, so
    // the furthest state wins whatever their order and the counts move exactly once per change.
    const lock = engineOf(dataSource) === "postgres" ? { lock: { mode: "pessimistic_write" as const } } : {};
    const candidates = await repository.find({ where, take: 2, ...lock });
    if (candidates.length === 0) throw new HttpError(404, "not_found", "no message matches: check _id, or projectId, providerExternalId and toNumber");
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
    // The message leaves one rollup row and joins another (a no-op when no counted dimension moved).
    if (changed) await applyRollupChanges(manager, [rollupChange(row, -1), rollupChange({ ...row, ...next }, 1)]);
    return { _id: row._id, deliveryStatus, billingStatus, status: next.status as Internal.SmsStatusUpdateResult["status"], changed };
  });
}
