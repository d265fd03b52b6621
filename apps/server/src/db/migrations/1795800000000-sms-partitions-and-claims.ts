// The ledger grows without bound, so on PostgreSQL `sms` becomes a table partitioned by month of
// `createdAt` (one partition per month, created ahead by the server; a default partition for
// anything else), which retention can drop whole (see db/ledger-maintenance.ts).
//
// A unique index of a partitioned table must contain the partition key, so the two uniqueness
// rules of the ledger move to narrow tables of their own, on both engines alike:
// - sms_key: the ingest idempotency key (projectId, providerExternalId, digits of toNumber);
// - sms_message_id: (projectId, messageId).
// Ingest claims a row in each before writing the message (internal/sms-ledger.ts). The former
// unique indexes on `sms` stay as plain indexes for lookups. SQLite keeps one `sms` table.
import { Table, TableForeignKey, TableIndex } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { monthsAround, monthStart, partitionDefinition } from "../partitions.js";

const FORMER_UNIQUE = [
  { unique: "UQ_sms_project_provider_to", plain: "IDX_sms_project_provider_to", columns: ["projectId", "providerExternalId", "toNumberDigits"] },
  { unique: "UQ_sms_project_messageId", plain: "IDX_sms_project_messageId", columns: ["projectId", "messageId"] },
];

export class SmsPartitionsAndClaims1795800000000 implements MigrationInterface {
  name = "SmsPartitionsAndClaims1795800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === "postgres";
    const time = postgres ? { type: "timestamptz", precision: 3 } : { type: "datetime" };
    const cascade = (table: string) =>
      new TableForeignKey({ name: `FK_${table}_projectId`, columnNames: ["projectId"], referencedTableName: "project", referencedColumnNames: ["_id"], onDelete: "CASCADE" });
    const str = (name: string, length: number, isPrimary = false) => ({ name, type: "varchar", length: String(length), isPrimary });
    await queryRunner.createTable(
      new Table({
        name: "sms_key",
        columns: [str("projectId", 36, true), str("providerExternalId", 500, true), str("toNumberDigits", 15, true), str("smsId", 36), str("messageId", 20), { name: "createdAt", ...time }],
        foreignKeys: [cascade("sms_key")],
        indices: [new TableIndex({ name: "IDX_sms_key_createdAt", columnNames: ["createdAt"] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "sms_message_id",
        columns: [str("projectId", 36, true), str("messageId", 20, true), str("smsId", 36), { name: "createdAt", ...time }],
        foreignKeys: [cascade("sms_message_id")],
        indices: [new TableIndex({ name: "IDX_sms_message_id_createdAt", columnNames: ["createdAt"] })],
      }),
    );
    await queryRunner.query(
      `INSERT INTO sms_key ("projectId", "providerExternalId", "toNumberDigits", "smsId", "messageId", "createdAt")
       SELECT "projectId", "providerExternalId", "toNumberDigits", "_id", "messageId", "createdAt" FROM sms WHERE "providerExternalId" IS NOT NULL`,
    );
    await queryRunner.query(`INSERT INTO sms_message_id ("projectId", "messageId", "smsId", "createdAt") SELECT "projectId", "messageId", "_id", "createdAt" FROM sms`);

    if (!postgres) {
      for (const { unique, plain, columns } of FORMER_UNIQUE) {
        await queryRunner.dropIndex("sms", unique);
        await queryRunner.createIndex("sms", new TableIndex({ name: plain, columnNames: columns }));
      }
      return;
    }
    await this.partition(queryRunner);
  }

  /** PostgreSQL: the same columns, indexes and rows, in a table partitioned by month. */
  private async partition(queryRunner: QueryRunner): Promise<void> {
    const indexes = (await queryRunner.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'sms' AND schemaname = current_schema()`)) as Array<{ indexname: string; indexdef: string }>;
    await queryRunner.query(`ALTER TABLE sms RENAME TO sms_unpartitioned`);
    await queryRunner.query(`CREATE TABLE sms (LIKE sms_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE ("createdAt")`);
    await queryRunner.query(`ALTER TABLE sms ADD CONSTRAINT "PK_sms_id_createdAt" PRIMARY KEY ("_id", "createdAt")`);
    await queryRunner.query(`CREATE TABLE sms_default PARTITION OF sms DEFAULT`);
    const months = (await queryRunner.query(`SELECT DISTINCT date_trunc('month', "createdAt" AT TIME ZONE 'UTC') AS month FROM sms_unpartitioned`)) as Array<{ month: Date }>;
    const wanted = new Map([...months.map((m) => monthStart(new Date(Date.UTC(m.month.getFullYear(), m.month.getMonth(), 1)))), ...monthsAround(new Date())].map((d) => [d.getTime(), d]));
    for (const start of wanted.values()) await queryRunner.query(`CREATE TABLE ${partitionDefinition(start)}`);
    await queryRunner.query(`INSERT INTO sms SELECT * FROM sms_unpartitioned`);
    await queryRunner.query(`DROP TABLE sms_unpartitioned`);
    for (const { indexname, indexdef } of indexes) {
      if (/ PRIMARY KEY|_pkey$|^PK_/.test(indexname)) continue;
      const former = FORMER_UNIQUE.find((f) => f.unique === indexname);
      const definition = former
        ? `CREATE INDEX "${former.plain}" ON sms (${former.columns.map((c) => `"${c}"`).join(", ")})`
        : indexdef.replace(/ ON \S*sms_unpartitioned /, " ON sms ");
      await queryRunner.query(definition);
    }
    await queryRunner.query(`ALTER TABLE sms ADD CONSTRAINT "FK_sms_projectId" FOREIGN KEY ("projectId") REFERENCES project("_id") ON DELETE CASCADE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === "postgres";
    if (postgres) {
      const indexes = (await queryRunner.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'sms' AND schemaname = current_schema()`)) as Array<{ indexname: string; indexdef: string }>;
      await queryRunner.query(`ALTER TABLE sms RENAME TO sms_partitioned`);
      await queryRunner.query(`CREATE TABLE sms (LIKE sms_partitioned INCLUDING DEFAULTS)`);
      await queryRunner.query(`INSERT INTO sms SELECT * FROM sms_partitioned`);
      await queryRunner.query(`DROP TABLE sms_partitioned CASCADE`);
      await queryRunner.query(`ALTER TABLE sms ADD CONSTRAINT "PK_sms_id" PRIMARY KEY ("_id")`);
      for (const { indexname, indexdef } of indexes) {
        if (/^PK_/.test(indexname)) continue;
        const former = FORMER_UNIQUE.find((f) => f.plain === indexname);
        await queryRunner.query(
          former ? `CREATE UNIQUE INDEX "${former.unique}" ON sms (${former.columns.map((c) => `"${c}"`).join(", ")})` : indexdef.replace(/ ON \S*sms_partitioned /, " ON sms "),
        );
      }
      await queryRunner.query(`ALTER TABLE sms ADD CONSTRAINT "FK_sms_projectId" FOREIGN KEY ("projectId") REFERENCES project("_id") ON DELETE CASCADE`);
    } else {
      for (const { unique, plain, columns } of FORMER_UNIQUE) {
        await queryRunner.dropIndex("sms", plain);
        await queryRunner.createIndex("sms", new TableIndex({ name: unique, columnNames: columns, isUnique: true }));
      }
    }
    await queryRunner.dropTable("sms_message_id");
    await queryRunner.dropTable("sms_key");
  }
}
