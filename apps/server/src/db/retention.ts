import type { DataSource } from "typeorm";
import { engineOf } from "./data-source.js";
import { dropSmsPartitionsBefore, ensureSmsPartitions, monthStart } from "./partitions.js";
import { dayOf } from "./sms-rollups.js";

/**
 * Ledger maintenance, run by the server at start and every few hours, and by `npm run maintain`:
 * on PostgreSQL the monthly partitions of the coming months are created; with
 * COMMLOG_RETENTION_MONTHS set, SMS older than that many whole months before the current one go,
 * together with their rollups and their idempotency-key and message-id claims, in one transaction
 * (PostgreSQL drops whole partitions; the default partition and SQLite delete by range).
 */
export async function maintainLedger(dataSource: DataSource, retentionMonths: number | undefined, now = new Date()): Promise<{ createdPartitions: string[]; retention?: RetentionResult }> {
  const createdPartitions = engineOf(dataSource) === "postgres" ? await ensureSmsPartitions(dataSource, now) : [];
  return { createdPartitions, ...(retentionMonths ? { retention: await applyRetention(dataSource, retentionMonths, now) } : {}) };
}

export interface RetentionResult {
  /** Messages created before this instant (a month start) are gone. */
  cutoff: string;
  droppedPartitions: string[];
}

export async function applyRetention(dataSource: DataSource, months: number, now = new Date()): Promise<RetentionResult> {
  const current = monthStart(now);
  const cutoff = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - months, 1));
  const postgres = engineOf(dataSource) === "postgres";
  const at = postgres ? cutoff : cutoff.toISOString().replace("T", " ").replace("Z", "");
  const p = dataSource.driver.createParameter("p0", 0);
  return dataSource.transaction(async (manager) => {
    const droppedPartitions = postgres ? await dropSmsPartitionsBefore(manager, cutoff) : [];
    await manager.query(`DELETE FROM ${postgres ? "sms_default" : "sms"} WHERE "createdAt" < ${p}`, [at]);
    for (const table of ["sms_key", "sms_message_id"]) await manager.query(`DELETE FROM ${table} WHERE "createdAt" < ${p}`, [at]);
    await manager.query(`DELETE FROM sms_daily_count WHERE day < ${p}`, [dayOf(cutoff)]);
    return { cutoff: cutoff.toISOString(), droppedPartitions };
  });
}
