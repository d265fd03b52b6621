// Rollups of the ledger: per project, UTC day of `createdAt`, and every dimension a total can be
// filtered on without a text predicate (direction, type, delivery / billing / Exolve status, the
// Status200 status text), how many SMS there are. Totals over date ranges read whole days from here
// and count only the partial days at the edges (see db/sms-rollups.ts). They replace the
// per-status counts, which they contain. Backfilled from the ledger.
import { Table, TableForeignKey } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";

const DIMENSIONS = ["direction", "type", "deliveryStatus", "billingStatus", "exolveStatus", "status"];

/** The UTC day of a timestamp column as 'YYYY-MM-DD' (SQLite keeps timestamps as fixed-width UTC text). */
export function dayOf(queryRunner: QueryRunner, column: string): string {
  return queryRunner.connection.options.type === "postgres" ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : `substr(${column}, 1, 10)`;
}

export class SmsDailyCounts1795700000000 implements MigrationInterface {
  name = "SmsDailyCounts1795700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const text = (name: string, length: number) => ({ name, type: "varchar", length: String(length), isPrimary: true });
    await queryRunner.createTable(
      new Table({
        name: "sms_daily_count",
        columns: [
          text("projectId", 36),
          text("day", 10),
          text("direction", 8),
          text("type", 3),
          text("deliveryStatus", 12),
          text("billingStatus", 12),
          text("exolveStatus", 12),
          text("status", 16),
          { name: "n", type: "integer" },
        ],
        foreignKeys: [
          new TableForeignKey({ name: "FK_sms_daily_count_projectId", columnNames: ["projectId"], referencedTableName: "project", referencedColumnNames: ["_id"], onDelete: "CASCADE" }),
        ],
      }),
    );
    const dims = DIMENSIONS.map((d) => `"${d}"`).join(", ");
    await queryRunner.query(
      `INSERT INTO sms_daily_count ("projectId", day, ${dims}, n) SELECT "projectId", ${dayOf(queryRunner, `"createdAt"`)}, ${dims}, COUNT(*) FROM sms GROUP BY "projectId", ${dayOf(queryRunner, `"createdAt"`)}, ${dims}`,
    );
    await queryRunner.dropTable("sms_status_count");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
    await queryRunner.query(`INSERT INTO sms_status_count ("projectId", direction, status, n) SELECT "projectId", direction, status, COUNT(*) FROM sms GROUP BY "projectId", direction, status`);
    await queryRunner.dropTable("sms_daily_count");
  }
}
