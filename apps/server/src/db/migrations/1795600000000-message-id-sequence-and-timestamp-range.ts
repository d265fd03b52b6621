// Two storage guarantees of SPEC §10:
// - Server-made message ids come from the database, unique across every server process by
//   construction: a sequence on PostgreSQL; on SQLite (one writer at a time) a one-row counter
//   advanced inside the writing transaction. Both start above every id already in the ledger.
// - Timestamps are instants in years 0001..9999 UTC. Rows written before the contract said so are
//   clamped into that range; on SQLite every timestamp is rewritten into the one fixed-width UTC
//   text form ('YYYY-MM-DD HH:MM:SS.SSS'), so that text order is time order.
import type { MigrationInterface, QueryRunner } from "typeorm";

/** Every timestamp column of the schema, by table. */
const TIMESTAMP_COLUMNS: Record<string, string[]> = {
  reseller: ["createdAt"],
  project: ["createdAt"],
  api_key: ["expiresAt", "revokedAt", "createdAt"],
  sms: ["createdAt", "updatedAt", "sentAt", "invoicedAt"],
  incoming_call_log: ["createdAt", "updatedAt", "startedAt", "endedAt"],
  incoming_call_log_item: ["createdAt", "updatedAt", "startedAt", "endedAt"],
};

const FIRST = "0001-01-01 00:00:00.000";
const LAST = "9999-12-31 23:59:59.999";

export class MessageIdSequenceAndTimestampRange1795600000000 implements MigrationInterface {
  name = "MessageIdSequenceAndTimestampRange1795600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === "postgres";
    const [{ last }] = (await queryRunner.query(`SELECT MAX("messageId") AS last FROM sms`)) as [{ last: string | null }];
    const start = (last ? BigInt(last) : 0n) + 1n;
    if (postgres) {
      await queryRunner.query(`CREATE SEQUENCE sms_message_id_seq AS bigint MINVALUE 1 START WITH ${start}`);
    } else {
      await queryRunner.query(`CREATE TABLE sms_message_id_counter (id integer PRIMARY KEY CHECK (id = 1), value integer NOT NULL)`);
      await queryRunner.query(`INSERT INTO sms_message_id_counter (id, value) VALUES (1, ${start - 1n})`);
    }

    for (const [table, columns] of Object.entries(TIMESTAMP_COLUMNS)) {
      for (const column of columns) {
        const c = `"${column}"`;
        if (postgres) {
          await queryRunner.query(`UPDATE ${table} SET ${c} = '${FIRST}+00' WHERE ${c} < '${FIRST}+00'`);
          await queryRunner.query(`UPDATE ${table} SET ${c} = '${LAST}+00' WHERE ${c} > '${LAST}+00'`);
        } else {
          // strftime reads every form SQLite may hold ('T' or ' ', with or without 'Z') and is NULL
          // past year 9999; such rows (e.g. '10000-01-01 ...') are clamped to the last instant.
          const canonical = `strftime('%Y-%m-%d %H:%M:%f', ${c})`;
          await queryRunner.query(`UPDATE ${table} SET ${c} = COALESCE(${canonical}, '${LAST}') WHERE ${c} IS NOT NULL AND ${c} IS NOT ${canonical}`);
        }
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === "postgres") await queryRunner.query(`DROP SEQUENCE sms_message_id_seq`);
    else await queryRunner.query(`DROP TABLE sms_message_id_counter`);
  }
}
