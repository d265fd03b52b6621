// One dialect-neutral migration for SQLite and PostgreSQL, written with
// TypeORM's Table API. Only the timestamp type differs by engine.
import { Table, TableForeignKey, TableIndex } from "typeorm";
import type { MigrationInterface, QueryRunner, TableColumnOptions } from "typeorm";

type ColumnType = Omit<TableColumnOptions, "name">;

/**
 * timestamptz(3) on PostgreSQL (UTC instant, millisecond precision);
 * "datetime" on SQLite, where TypeORM writes UTC text with milliseconds.
 */
function timestampType(queryRunner: QueryRunner): ColumnType {
  return queryRunner.connection.options.type === "postgres"
    ? { type: "timestamptz", precision: 3 }
    : { type: "datetime" };
}

export class InitialSchema1795493899458 implements MigrationInterface {
  name = "InitialSchema1795493899458";

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    const id = (name: string): TableColumnOptions => ({ name, type: "varchar", length: "36", isPrimary: true });
    const ref = (name: string, isNullable = false): TableColumnOptions => ({ name, type: "varchar", length: "36", isNullable });
    const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({
      name,
      type: "varchar",
      length: String(length),
      isNullable,
    });
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: "integer", isNullable });
    const bool = (name: string): TableColumnOptions => ({ name, type: "boolean", default: false });
    const time = (name: string, isNullable = false): TableColumnOptions => ({ name, ...ts, isNullable });
    const money = (name: string): TableColumnOptions => ({ name, type: "decimal", precision: 12, scale: 6, isNullable: true });
    const index = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });
    const cascadeTo = (table: string, columnName: string, referencedTableName: string) =>
      new TableForeignKey({
        name: `FK_${table}_${columnName}`,
        columnNames: [columnName],
        referencedTableName,
        referencedColumnNames: ["_id"],
        onDelete: "CASCADE",
      });

    await queryRunner.createTable(
      new Table({
        name: "reseller",
        // ownProjectId has no FK: project.resellerId already points here, and
        // a cycle of NOT NULL foreign keys could not be inserted without
        // deferred constraints, which SQLite and PostgreSQL spell differently.
        columns: [id("_id"), str("name", 200), ref("ownProjectId"), time("createdAt")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "project",
        columns: [id("_id"), str("name", 200), ref("resellerId", true), time("createdAt")],
        foreignKeys: [
          // No cascade: removing a reseller must not silently remove its customers.
          new TableForeignKey({
            name: "FK_project_resellerId",
            columnNames: ["resellerId"],
            referencedTableName: "reseller",
            referencedColumnNames: ["_id"],
          }),
        ],
        indices: [index("IDX_project_resellerId", ["resellerId"])],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "api_key",
        columns: [
          id("_id"),
          str("name", 200),
          str("lookupId", 32),
          str("secretHash", 64),
          ref("projectId", true),
          ref("resellerId", true),
          bool("platform"),
          { name: "permissions", type: "text" },
          str("accessLevel", 16, true),
          time("expiresAt", true),
          time("revokedAt", true),
          time("createdAt"),
        ],
        foreignKeys: [cascadeTo("api_key", "projectId", "project"), cascadeTo("api_key", "resellerId", "reseller")],
        indices: [
          index("UQ_api_key_lookupId", ["lookupId"], true),
          index("IDX_api_key_projectId", ["projectId"]),
          index("IDX_api_key_resellerId", ["resellerId"]),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "sms",
        columns: [
          id("_id"),
          str("messageId", 20),
          ref("projectId"),
          time("createdAt"),
          time("updatedAt"),
          str("direction", 8),
          str("type", 3),
          str("fromNumber", 30, true),
          str("fromNumberDigits", 15, true),
          str("senderName", 11, true),
          str("senderNameLower", 11, true),
          str("toNumber", 30),
          str("toNumberDigits", 15),
          { name: "smsText", type: "text", isNullable: true },
          str("deliveryStatus", 12),
          str("billingStatus", 12),
          str("status", 16),
          str("exolveStatus", 12),
          bool("prohibited"),
          str("statusMessage", 500, true),
          str("errorCode", 100, true),
          str("providerExternalId", 500, true),
          { ...int("smsCostInUSDCents"), default: 0 },
          money("cost"),
          money("wholeSale"),
          money("price"),
          time("sentAt", true),
          time("invoicedAt", true),
          str("fromName", 100, true),
          str("toName", 100, true),
          str("groupName", 100, true),
          ...[
            "incidentId",
            "userId",
            "alertId",
            "monitorId",
            "scheduledMaintenanceId",
            "statusPageId",
            "statusPageAnnouncementId",
            "onCallDutyPolicyId",
            "onCallDutyPolicyEscalationRuleId",
            "onCallDutyPolicyScheduleId",
            "teamId",
          ].map((name) => ref(name, true)), // opaque ids of another system: no FK
        ],
        foreignKeys: [cascadeTo("sms", "projectId", "project")],
        indices: [
          // Status200 default order (createdAt desc, _id tie-breaker); also
          // serves Exolve's (projectId, createdAt) date range.
          index("IDX_sms_project_created", ["projectId", "createdAt", "_id"]),
          // Status200 SMS Log (outgoing) filtered by status in the default order: the seed 000 request.
          index("IDX_sms_project_dir_status", ["projectId", "direction", "status", "createdAt", "_id"]),
          index("IDX_sms_project_toDigits", ["projectId", "toNumberDigits"]),
          index("IDX_sms_project_fromDigits", ["projectId", "fromNumberDigits"]),
          index("IDX_sms_project_senderLower", ["projectId", "senderNameLower"]),
          // Ingest idempotency key. Ideally unique only where providerExternalId
          // is not null, but partial indexes differ by engine; both engines
          // treat NULLs as distinct, so a plain unique index behaves the same.
          index("UQ_sms_project_provider_to", ["projectId", "providerExternalId", "toNumberDigits"], true),
          index("UQ_sms_project_messageId", ["projectId", "messageId"], true),
          // TelecomX: newest first on the timestamp that `sort` names, numeric id as tie-breaker.
          index("IDX_sms_project_dir_created", ["projectId", "direction", "createdAt", "messageId"]),
          index("IDX_sms_project_dir_sent", ["projectId", "direction", "sentAt", "messageId"]),
          index("IDX_sms_project_dir_invoiced", ["projectId", "direction", "invoicedAt", "messageId"]),
          // Exolve enum filters, within a date range.
          index("IDX_sms_project_exolveStatus", ["projectId", "exolveStatus", "createdAt"]),
          index("IDX_sms_project_delivery", ["projectId", "deliveryStatus", "createdAt"]),
          index("IDX_sms_project_billing", ["projectId", "billingStatus", "createdAt"]),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "incoming_call_log",
        columns: [
          id("_id"),
          ref("projectId"),
          time("createdAt"),
          time("updatedAt"),
          str("callerPhoneNumber", 30),
          str("callerPhoneNumberDigits", 15),
          str("routingPhoneNumber", 30, true),
          str("routingPhoneNumberDigits", 15, true),
          str("callProviderCallId", 500, true),
          str("status", 100),
          str("statusMessage", 500, true),
          time("startedAt"),
          time("endedAt", true),
          int("callDurationInSeconds", true),
          int("callCostInUSDCents", true),
          int("incomingCallCostInUSDCents", true),
          int("outgoingCallCostInUSDCents", true),
          ref("answeredByUserId", true),
          ref("incomingCallPolicyId", true),
        ],
        foreignKeys: [cascadeTo("call", "projectId", "project")],
        indices: [index("IDX_call_project_created", ["projectId", "createdAt", "_id"])],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "incoming_call_log_item",
        columns: [
          id("_id"),
          ref("projectId"),
          ref("incomingCallLogId"),
          time("createdAt"),
          time("updatedAt"),
          ref("incomingCallPolicyEscalationRuleId", true),
          ref("userId", true),
          str("userPhoneNumber", 30, true),
          str("userPhoneNumberDigits", 15, true),
          str("status", 100),
          str("statusMessage", 500, true),
          int("dialDurationInSeconds", true),
          int("callCostInUSDCents", true),
          time("startedAt", true),
          time("endedAt", true),
          bool("isAnswered"),
        ],
        foreignKeys: [cascadeTo("item", "projectId", "project"), cascadeTo("item", "incomingCallLogId", "incoming_call_log")],
        indices: [
          index("IDX_item_project_created", ["projectId", "createdAt", "_id"]),
          index("IDX_item_callId", ["incomingCallLogId"]),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["incoming_call_log_item", "incoming_call_log", "sms", "api_key", "project", "reseller"]) {
      await queryRunner.dropTable(table);
    }
  }
}
