import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, test } from "@jest/globals";
import type { DataSource } from "typeorm";
import { migrate, migrations } from "../src/db/data-source.js";
import {
  ApiKeyEntity,
  IncomingCallLogEntity,
  IncomingCallLogItemEntity,
  ProjectEntity,
  SmsEntity,
  decodeMessageId,
  encodeMessageId,
} from "../src/db/entities.js";
import type { ApiKey, IncomingCallLog, IncomingCallLogItem, Project, Sms } from "../src/db/entities.js";
import { testEngines } from "./support/databases.js";
import type { OpenDatabase } from "./support/databases.js";

// --- factories -------------------------------------------------------------

let nextMessageId = 1n;

function aProject(overrides: Partial<Project> = {}): Project {
  return { _id: randomUUID(), name: "Acme", resellerId: null, createdAt: new Date(), ...overrides };
}

function anSms(projectId: string, overrides: Partial<Sms> = {}): Sms {
  const now = new Date();
  return {
    _id: randomUUID(),
    messageId: encodeMessageId(nextMessageId++),
    projectId,
    createdAt: now,
    updatedAt: now,
    direction: "outgoing",
    type: "SMS",
    fromNumber: null,
    fromNumberDigits: null,
    senderName: null,
    senderNameLower: null,
    toNumber: "+45 81 80 88 88",
    toNumberDigits: "4581808888",
    smsText: null,
    deliveryStatus: "queued",
    billingStatus: "prebilled",
    status: "Sending",
    exolveStatus: "QUEUED",
    prohibited: false,
    statusMessage: null,
    errorCode: null,
    providerExternalId: null,
    smsCostInUSDCents: 0,
    cost: null,
    wholeSale: null,
    price: null,
    sentAt: null,
    invoicedAt: null,
    fromName: null,
    toName: null,
    groupName: null,
    incidentId: null,
    userId: null,
    alertId: null,
    monitorId: null,
    scheduledMaintenanceId: null,
    statusPageId: null,
    statusPageAnnouncementId: null,
    onCallDutyPolicyId: null,
    onCallDutyPolicyEscalationRuleId: null,
    onCallDutyPolicyScheduleId: null,
    teamId: null,
    ...overrides,
  };
}

function aCall(projectId: string, overrides: Partial<IncomingCallLog> = {}): IncomingCallLog {
  const now = new Date();
  return {
    _id: randomUUID(),
    projectId,
    createdAt: now,
    updatedAt: now,
    callerPhoneNumber: "+4581808888",
    callerPhoneNumberDigits: "4581808888",
    routingPhoneNumber: null,
    routingPhoneNumberDigits: null,
    callProviderCallId: null,
    status: "Completed",
    statusMessage: null,
    startedAt: now,
    endedAt: null,
    callDurationInSeconds: null,
    callCostInUSDCents: null,
    incomingCallCostInUSDCents: null,
    outgoingCallCostInUSDCents: null,
    answeredByUserId: null,
    incomingCallPolicyId: null,
    ...overrides,
  };
}

function anItem(call: IncomingCallLog, overrides: Partial<IncomingCallLogItem> = {}): IncomingCallLogItem {
  const now = new Date();
  return {
    _id: randomUUID(),
    projectId: call.projectId,
    incomingCallLogId: call._id,
    createdAt: now,
    updatedAt: now,
    incomingCallPolicyEscalationRuleId: null,
    userId: null,
    userPhoneNumber: null,
    userPhoneNumberDigits: null,
    status: "Example status",
    statusMessage: null,
    dialDurationInSeconds: null,
    callCostInUSDCents: null,
    startedAt: null,
    endedAt: null,
    isAnswered: false,
    ...overrides,
  };
}

function anApiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    _id: randomUUID(),
    name: "ci",
    lookupId: randomUUID().replaceAll("-", ""),
    secretHash: "a".repeat(64),
    projectId: null,
    resellerId: null,
    platform: false,
    permissions: [],
    accessLevel: null,
    expiresAt: null,
    revokedAt: null,
    createdAt: new Date(),
    ...overrides,
  };
}

async function insertProject(dataSource: DataSource, overrides: Partial<Project> = {}): Promise<Project> {
  const project = aProject(overrides);
  await dataSource.getRepository(ProjectEntity).insert(project);
  return project;
}

// --- tests -----------------------------------------------------------------

test("messageId encoding is exact past 2^53 and fixed-width", () => {
  assert.equal(encodeMessageId(42n), "00000000000000000042");
  assert.equal(encodeMessageId("18446744073709551615"), "18446744073709551615");
  assert.equal(decodeMessageId(encodeMessageId("9007199254740993")), "9007199254740993");
  assert.equal(decodeMessageId("00000000000000000000"), "0");
  assert.throws(() => encodeMessageId(1n << 64n), RangeError);
});

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`database on ${engine.name}`, () => {
    test("migrations apply to an empty database, and a second run applies nothing", async () => {
      const db = await engine.open({ migrate: false });
      try {
        assert.deepEqual(await migrate(db.dataSource), migrations.map((m) => new m().name));
        assert.deepEqual(await migrate(db.dataSource), []);
        const runner = db.dataSource.createQueryRunner();
        try {
          for (const table of ["reseller", "project", "api_key", "sms", "sms_daily_count", "incoming_call_log", "incoming_call_log_item"]) {
            assert.ok(await runner.hasTable(table), `table ${table} exists`);
          }
        } finally {
          await runner.release();
        }
      } finally {
        await db.close();
      }
    });

    describe("on a migrated database", () => {
      let db: OpenDatabase;
      let dataSource: DataSource;
      beforeAll(async () => {
        db = await engine.open();
        dataSource = db.dataSource;
      });
      afterAll(async () => {
        await db?.close();
      });

      test("an SMS round-trips with millisecond timestamps, booleans, decimals and nulls", async () => {
        const project = await insertProject(dataSource);
        const sms = anSms(project._id, {
          createdAt: new Date("2024-02-29T23:59:59.123Z"),
          updatedAt: new Date("2024-03-01T00:00:00.007Z"),
          sentAt: new Date("2024-03-01T00:00:00.999Z"),
          prohibited: true,
          cost: 0.0123,
          wholeSale: 1.5,
          price: 123456.654321,
          senderName: "Acme",
          senderNameLower: "acme",
          smsText: "Hello, ÆØÅ ✓",
        });
        await dataSource.getRepository(SmsEntity).insert(sms);

        const stored = await dataSource.getRepository(SmsEntity).findOneByOrFail({ _id: sms._id });

        assert.deepEqual(stored, sms);
        assert.ok(stored.createdAt instanceof Date);
        assert.equal(stored.createdAt.toISOString(), "2024-02-29T23:59:59.123Z");
        assert.equal(stored.prohibited, true);
        assert.equal(typeof stored.cost, "number");
        assert.equal(stored.invoicedAt, null);
      });

      test("decimals are rounded to 6 places, as PostgreSQL's numeric(12,6) would", async () => {
        const project = await insertProject(dataSource);
        const sms = anSms(project._id, { price: 0.12345678 });
        await dataSource.getRepository(SmsEntity).insert(sms);

        const stored = await dataSource.getRepository(SmsEntity).findOneByOrFail({ _id: sms._id });

        assert.equal(stored.price, 0.123457);
      });

      test("an API key round-trips its permissions, booleans and nullable dates", async () => {
        const project = await insertProject(dataSource);
        const key = anApiKey({
          projectId: project._id,
          permissions: ["ReadSmsLog", "ProjectMember"],
          accessLevel: "VIEWER",
          expiresAt: new Date("2030-01-01T00:00:00.001Z"),
        });
        await dataSource.getRepository(ApiKeyEntity).insert(key);

        assert.deepEqual(await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ _id: key._id }), key);
      });

      // The ledger's uniqueness rules live in claim tables (a partitioned sms cannot hold them).
      const p = (i: number) => dataSource.driver.createParameter(`p${i}`, i);
      const claimKey = (projectId: string, providerExternalId: string, toNumberDigits = "4581808888") =>
        dataSource.query(`INSERT INTO sms_key ("projectId", "providerExternalId", "toNumberDigits", "smsId", "messageId", "createdAt") VALUES (${[0, 1, 2, 3, 4, 5].map(p).join(", ")})`, [
          projectId, providerExternalId, toNumberDigits, randomUUID(), encodeMessageId(1n), engine.name === "postgres" ? new Date() : "2026-01-01 00:00:00.000",
        ]);
      const claimMessageId = (projectId: string, messageId: string) =>
        dataSource.query(`INSERT INTO sms_message_id ("projectId", "messageId", "smsId", "createdAt") VALUES (${[0, 1, 2, 3].map(p).join(", ")})`, [
          projectId, messageId, randomUUID(), engine.name === "postgres" ? new Date() : "2026-01-01 00:00:00.000",
        ]);

      test("sms_key rejects a repeated (projectId, providerExternalId, toNumberDigits)", async () => {
        const project = await insertProject(dataSource);
        await claimKey(project._id, "smsc-1");
        await assert.rejects(claimKey(project._id, "smsc-1"));
        // Another recipient of the same provider message is a different key.
        await claimKey(project._id, "smsc-1", "4512345678");
      });

      test("sms_message_id makes messageId unique per project", async () => {
        const [one, two] = [await insertProject(dataSource), await insertProject(dataSource)];
        const messageId = encodeMessageId(999_999n);
        await claimMessageId(one._id, messageId);
        await assert.rejects(claimMessageId(one._id, messageId));
        await claimMessageId(two._id, messageId);
      });

      test("deleting a project removes its SMS, calls, call items and keys", async () => {
        const [doomed, kept] = [await insertProject(dataSource), await insertProject(dataSource)];
        for (const project of [doomed, kept]) {
          const call = aCall(project._id, { endedAt: new Date("2024-01-01T10:00:00.250Z"), callDurationInSeconds: 5 });
          await dataSource.getRepository(SmsEntity).insert(anSms(project._id));
          await dataSource.getRepository(IncomingCallLogEntity).insert(call);
          await dataSource.getRepository(IncomingCallLogItemEntity).insert(anItem(call, { isAnswered: true }));
          await dataSource.getRepository(ApiKeyEntity).insert(anApiKey({ projectId: project._id }));
        }

        await dataSource.getRepository(ProjectEntity).delete({ _id: doomed._id });

        for (const entity of [SmsEntity, IncomingCallLogEntity, IncomingCallLogItemEntity, ApiKeyEntity]) {
          const repository = dataSource.getRepository<{ projectId: string }>(entity);
          assert.equal(await repository.countBy({ projectId: doomed._id }), 0, `${entity.options.name} of the deleted project`);
          assert.equal(await repository.countBy({ projectId: kept._id }), 1, `${entity.options.name} of the other project`);
        }
        const item = await dataSource.getRepository(IncomingCallLogItemEntity).findOneByOrFail({ projectId: kept._id });
        assert.equal(item.isAnswered, true);
      });

      test("deleting a call removes its items", async () => {
        const project = await insertProject(dataSource);
        const call = aCall(project._id);
        await dataSource.getRepository(IncomingCallLogEntity).insert(call);
        await dataSource.getRepository(IncomingCallLogItemEntity).insert([anItem(call), anItem(call)]);

        await dataSource.getRepository(IncomingCallLogEntity).delete({ _id: call._id });

        assert.equal(await dataSource.getRepository(IncomingCallLogItemEntity).countBy({ incomingCallLogId: call._id }), 0);
      });

      test("an SMS for a missing project is rejected (foreign keys are enforced)", async () => {
        await assert.rejects(dataSource.getRepository(SmsEntity).insert(anSms(randomUUID())));
      });

      test("zero-padded messageIds sort numerically, exactly beyond 2^53", async () => {
        const project = await insertProject(dataSource);
        const ids = ["18446744073709551615", "9007199254740993", "9007199254740992", "10", "9", "0"];
        for (const id of [...ids].reverse().sort()) {
          await dataSource.getRepository(SmsEntity).insert(anSms(project._id, { messageId: encodeMessageId(id) }));
        }

        const rows = await dataSource
          .getRepository(SmsEntity)
          .find({ where: { projectId: project._id }, order: { messageId: "DESC" } });

        assert.deepEqual(rows.map((row) => decodeMessageId(row.messageId)), ids);
      });

      test("timestamps order correctly at millisecond resolution", async () => {
        const project = await insertProject(dataSource);
        const base = Date.parse("2024-06-01T12:00:00.000Z");
        const offsets = [999, 1, 10, 100, 0];
        for (const ms of offsets) {
          await dataSource.getRepository(SmsEntity).insert(anSms(project._id, { createdAt: new Date(base + ms) }));
        }

        const rows = await dataSource
          .getRepository(SmsEntity)
          .find({ where: { projectId: project._id }, order: { createdAt: "ASC" } });

        assert.deepEqual(rows.map((row) => row.createdAt.getTime() - base), [0, 1, 10, 100, 999]);
      });
    });
  });
}
