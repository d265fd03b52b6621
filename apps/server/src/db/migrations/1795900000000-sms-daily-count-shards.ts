// The daily rollups get a `shard` column in their key. Every ingest batch adds to the rollup rows of
// its days; with one row per key, concurrent batches queued on each other's row locks until commit
// (on PostgreSQL, ingest at 16 concurrent batches ran no faster than one). Each write now adds to
// the rows of one shard it picks at random (db/sms-rollups.ts), so concurrent writers rarely meet;
// totals sum over the shards as they already summed over days. Existing rows become shard 0.
import { TableColumn } from "typeorm";
import type { MigrationInterface, QueryRunner } from "typeorm";

const KEY = ["projectId", "day", "direction", "type", "deliveryStatus", "billingStatus", "exolveStatus", "status"];

export class SmsDailyCountShards1795900000000 implements MigrationInterface {
  name = "SmsDailyCountShards1795900000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn("sms_daily_count", new TableColumn({ name: "shard", type: "integer", default: 0 }));
    await queryRunner.dropPrimaryKey("sms_daily_count");
    await queryRunner.createPrimaryKey("sms_daily_count", [...KEY, "shard"]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const dims = KEY.map((name) => `"${name}"`).join(", ");
    await queryRunner.query(`CREATE TABLE sms_daily_count_merged AS SELECT ${dims}, SUM(n) AS n FROM sms_daily_count GROUP BY ${dims}`);
    await queryRunner.query(`DELETE FROM sms_daily_count`);
    await queryRunner.dropPrimaryKey("sms_daily_count");
    await queryRunner.dropColumn("sms_daily_count", "shard");
    await queryRunner.createPrimaryKey("sms_daily_count", KEY);
    await queryRunner.query(`INSERT INTO sms_daily_count (${dims}, n) SELECT ${dims}, n FROM sms_daily_count_merged`);
    await queryRunner.query(`DROP TABLE sms_daily_count_merged`);
  }
}
