import { randomUUID } from "node:crypto";
import { invalid, phoneDigits } from "@commlog/domain";
import type { Internal } from "@commlog/contracts";
import type { DataSource } from "typeorm";
import { IncomingCallLogEntity, ProjectEntity, type IncomingCallLog } from "../db/entities.js";
import { engineOf } from "../db/data-source.js";
import { notFound } from "../http/errors.js";

const date = (value: string | null | undefined) => (value ? new Date(value) : null);

/** Records an incoming call; `startedAt` defaults to now and `status` to upstream's "Initiated". */
export async function createIncomingCallLog(dataSource: DataSource, input: Internal.IncomingCallLogCreate): Promise<Internal.IncomingCallLogCreated> {
  const projectId = input.projectId.toLowerCase();
  if (!(await dataSource.getRepository(ProjectEntity).existsBy({ _id: projectId }))) throw notFound("projectId: no project with this id");
  const now = new Date();
  const row: IncomingCallLog = {
    _id: randomUUID(),
    projectId,
    createdAt: now,
    updatedAt: now,
    callerPhoneNumber: input.callerPhoneNumber,
    callerPhoneNumberDigits: phoneDigits(input.callerPhoneNumber),
    routingPhoneNumber: input.routingPhoneNumber ?? null,
    routingPhoneNumberDigits: input.routingPhoneNumber ? phoneDigits(input.routingPhoneNumber) : null,
    callProviderCallId: input.callProviderCallId ?? null,
    status: input.status ?? "Initiated",
    statusMessage: input.statusMessage ?? null,
    startedAt: date(input.startedAt) ?? now,
    endedAt: date(input.endedAt),
    callDurationInSeconds: input.callDurationInSeconds ?? null,
    callCostInUSDCents: input.callCostInUSDCents ?? null,
    incomingCallCostInUSDCents: input.incomingCallCostInUSDCents ?? null,
    outgoingCallCostInUSDCents: input.outgoingCallCostInUSDCents ?? null,
    answeredByUserId: input.answeredByUserId?.toLowerCase() ?? null,
    incomingCallPolicyId: input.incomingCallPolicyId?.toLowerCase() ?? null,
  };
  checkEnd(row.startedAt, row.endedAt);
  await dataSource.getRepository(IncomingCallLogEntity).insert(row);
  return { _id: row._id };
}

/** A call does not end before it starts (SPEC §10). */
function checkEnd(startedAt: Date, endedAt: Date | null | undefined): void {
  if (endedAt && endedAt < startedAt) throw invalid("endedAt", `must not be before the call's startedAt (${startedAt.toISOString()})`);
}

/**
 * Updates a call (typically to end it): only the fields given change; at least one must be given.
 * The row is read and written in one transaction (locked on PostgreSQL), so `endedAt` is checked
 * against the `startedAt` it is written beside.
 */
export async function updateIncomingCallLog(dataSource: DataSource, id: string, input: Internal.IncomingCallLogUpdate): Promise<void> {
  const changes: Partial<IncomingCallLog> = {};
  for (const [key, value] of Object.entries(input) as [keyof Internal.IncomingCallLogUpdate, unknown][]) {
    if (value === undefined) continue;
    (changes as Record<string, unknown>)[key] =
      key === "endedAt" ? date(value as string | null) : key === "answeredByUserId" && typeof value === "string" ? value.toLowerCase() : value;
  }
  if (Object.keys(changes).length === 0) throw invalid("body", "nothing to update: give at least one field");
  await dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(IncomingCallLogEntity);
    const lock = engineOf(dataSource) === "postgres" ? { lock: { mode: "pessimistic_write" as const } } : {};
    const call = await repository.findOne({ where: { _id: id.toLowerCase() }, select: { _id: true, startedAt: true }, ...lock });
    if (!call) throw notFound("id: no incoming call log with this id");
    checkEnd(call.startedAt, changes.endedAt);
    await repository.update({ _id: call._id }, { ...changes, updatedAt: new Date() });
  });
}
