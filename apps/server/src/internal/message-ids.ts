import type { EntityManager } from "typeorm";
import { engineOf } from "../db/data-source.js";

/**
 * The ledger's numeric message ids (the Exolve `message_id`), drawn from the database inside the
 * writing transaction, so they are unique across every server process by construction (see the
 * migration that creates the sequence / counter). Increasing in the order they are drawn.
 */
export async function allocateMessageIds(manager: EntityManager, n: number): Promise<bigint[]> {
  if (n === 0) return [];
  if (engineOf(manager.connection) === "postgres") {
    const rows = (await manager.query(`SELECT nextval('sms_message_id_seq')::text AS id FROM generate_series(1, $1)`, [n])) as Array<{ id: string }>;
    return rows.map((row) => BigInt(row.id));
  }
  // SQLite has one writer at a time: the counter row is this transaction's until it commits.
  // As text, because better-sqlite3 hands integers back as JS numbers (inexact past 2^53).
  const [row] = (await manager.query(`UPDATE sms_message_id_counter SET value = value + CAST(? AS INTEGER) RETURNING CAST(value AS TEXT) AS last`, [n])) as [{ last: string }];
  const last = BigInt(row.last);
  return Array.from({ length: n }, (_, i) => last - BigInt(n - 1 - i));
}
