// Per project, direction and Status200 status text: how many SMS the ledger holds. Status200
// lists answer `count` (the total of matching rows) with every page; for the common queries
// (no filter, or a filter on `status` alone) the total comes from here instead of counting
// hundreds of thousands of rows. Backfilled from the ledger.
import { Table, TableForeignKey } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";

export class SmsStatusCounts1795500000000 implements MigrationInterface {
  name = "SmsStatusCounts1795500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "sms_status_count",
        columns: [
          { name: "projectId", type: "varchar", length: "36", isPrimary: true },
          { name: "direction", type: "varchar", length: "8", isPrimary: true },
          { name: "status", type: "varchar", length: "16", isPrimary: true },
          { name: "n", type: "integer" },
        ],
        foreignKeys: [
          new TableForeignKey({ name: "FK_sms_status_count_projectId", columnNames: ["projectId"], referencedTableName: "project", referencedColumnNames: ["_id"], onDelete: "CASCADE" }),
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO sms_status_count ("projectId", direction, status, n) SELECT "projectId", direction, status, COUNT(*) FROM sms GROUP BY "projectId", direction, status`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("sms_status_count");
  }
}
