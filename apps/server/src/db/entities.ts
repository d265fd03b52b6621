// Column mappings only: every query lives in the repositories, every table,
// foreign key and index in the migrations (synchronize is never on).
//
// EntitySchema rather than decorators: tsx/esbuild emit no decorator metadata,
// so every column names its type explicitly. Property names equal column
// names, so raw SQL and query builders see the same identifiers.
import { EntitySchema } from "typeorm";
import type { EntitySchemaColumnOptions, ValueTransformer } from "typeorm";

export type Engine = "sqlite" | "postgres";

// ---------------------------------------------------------------------------
// Row types
// ---------------------------------------------------------------------------

export interface Reseller {
  _id: string;
  name: string;
  /** The reseller's own project ("own messages"); see the migration for why it has no FK. */
  ownProjectId: string;
  createdAt: Date;
}

export interface Project {
  _id: string;
  name: string;
  resellerId: string | null;
  createdAt: Date;
}

export interface ApiKey {
  _id: string;
  name: string;
  /** Public prefix of the key, used to find the row before comparing the hash. */
  lookupId: string;
  /** SHA-256 of the secret, lowercase hex. */
  secretHash: string;
  projectId: string | null;
  resellerId: string | null;
  platform: boolean;
  /** Status200 permission names. */
  permissions: string[];
  accessLevel: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface Sms {
  _id: string;
  /** Exolve message_id, zero-padded to 20 digits: see encodeMessageId. */
  messageId: string;
  projectId: string;
  createdAt: Date;
  updatedAt: Date;
  direction: "incoming" | "outgoing";
  type: "SMS" | "MMS";
  fromNumber: string | null;
  fromNumberDigits: string | null;
  senderName: string | null;
  senderNameLower: string | null;
  toNumber: string;
  toNumberDigits: string;
  smsText: string | null;
  deliveryStatus: string;
  billingStatus: string;
  status: string;
  exolveStatus: string;
  prohibited: boolean;
  statusMessage: string | null;
  errorCode: string | null;
  providerExternalId: string | null;
  smsCostInUSDCents: number;
  cost: number | null;
  wholeSale: number | null;
  price: number | null;
  sentAt: Date | null;
  invoicedAt: Date | null;
  fromName: string | null;
  toName: string | null;
  groupName: string | null;
  incidentId: string | null;
  userId: string | null;
  alertId: string | null;
  monitorId: string | null;
  scheduledMaintenanceId: string | null;
  statusPageId: string | null;
  statusPageAnnouncementId: string | null;
  onCallDutyPolicyId: string | null;
  onCallDutyPolicyEscalationRuleId: string | null;
  onCallDutyPolicyScheduleId: string | null;
  teamId: string | null;
}

export interface IncomingCallLog {
  _id: string;
  projectId: string;
  createdAt: Date;
  updatedAt: Date;
  callerPhoneNumber: string;
  callerPhoneNumberDigits: string;
  routingPhoneNumber: string | null;
  routingPhoneNumberDigits: string | null;
  callProviderCallId: string | null;
  status: string;
  statusMessage: string | null;
  startedAt: Date;
  endedAt: Date | null;
  callDurationInSeconds: number | null;
  callCostInUSDCents: number | null;
  incomingCallCostInUSDCents: number | null;
  outgoingCallCostInUSDCents: number | null;
  answeredByUserId: string | null;
  incomingCallPolicyId: string | null;
}

export interface IncomingCallLogItem {
  _id: string;
  projectId: string;
  incomingCallLogId: string;
  createdAt: Date;
  updatedAt: Date;
  incomingCallPolicyEscalationRuleId: string | null;
  userId: string | null;
  userPhoneNumber: string | null;
  userPhoneNumberDigits: string | null;
  status: string;
  statusMessage: string | null;
  dialDurationInSeconds: number | null;
  callCostInUSDCents: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
  isAnswered: boolean;
}

// ---------------------------------------------------------------------------
// messageId encoding
// ---------------------------------------------------------------------------

export const MESSAGE_ID_WIDTH = 20; // 2^64 - 1 has 20 decimal digits

/**
 * The Exolve message_id is a uint64. It is stored as a zero-padded decimal
 * string: exact on both engines (better-sqlite3 hands integers back as JS
 * numbers, which lose digits past 2^53) and ordered numerically as text.
 */
export function encodeMessageId(value: bigint | string): string {
  const id = typeof value === "bigint" ? value : BigInt(value);
  if (id < 0n || id >= 1n << 64n) throw new RangeError(`messageId out of range: ${id}`);
  return id.toString().padStart(MESSAGE_ID_WIDTH, "0");
}

/** The wire form: the decimal string without padding ("0" stays "0"). */
export function decodeMessageId(column: string): string {
  return BigInt(column).toString();
}

// ---------------------------------------------------------------------------
// Column helpers
// ---------------------------------------------------------------------------

/**
 * PostgreSQL returns numeric as a string, better-sqlite3 as a number; both
 * become a number. precision 12 / scale 6 stays within a double's 15
 * significant digits, and rounding on write makes SQLite (which would keep
 * any REAL) store what PostgreSQL stores.
 */
const decimalTransformer: ValueTransformer = {
  to: (value: number | null | undefined) =>
    typeof value === "number" ? Number(value.toFixed(6)) : value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

const jsonArrayTransformer: ValueTransformer = {
  to: (value: string[] | undefined) => (value === undefined ? value : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? [] : (JSON.parse(value) as string[])),
};

type Column = EntitySchemaColumnOptions;

const id = (): Column => ({ type: "varchar", length: 36, primary: true });
const ref = (nullable = false): Column => ({ type: "varchar", length: 36, nullable });
const varchar = (length: number, nullable = false): Column => ({ type: "varchar", length, nullable });
const text = (nullable = false): Column => ({ type: "text", nullable });
const integer = (nullable = false): Column => ({ type: "integer", nullable });
const boolean = (): Column => ({ type: "boolean" });
const decimal = (): Column => ({
  type: "decimal",
  precision: 12,
  scale: 6,
  nullable: true,
  transformer: decimalTransformer,
});
/**
 * Written as SQLite's "datetime" (TypeORM stores "YYYY-MM-DD HH:MM:SS.SSS"
 * UTC text, which keeps milliseconds and sorts as text); entitySchemas()
 * retypes it to timestamptz(3) for PostgreSQL. Timestamps are set by the
 * application, never by createDate/updateDate: their SQL defaults
 * (CURRENT_TIMESTAMP, datetime('now')) would drop milliseconds on SQLite.
 */
const timestamp = (nullable = false): Column => ({ type: "datetime", nullable });

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

export const ResellerEntity = new EntitySchema<Reseller>({
  name: "Reseller",
  tableName: "reseller",
  columns: {
    _id: id(),
    name: varchar(200),
    ownProjectId: ref(),
    createdAt: timestamp(),
  },
});

export const ProjectEntity = new EntitySchema<Project>({
  name: "Project",
  tableName: "project",
  columns: {
    _id: id(),
    name: varchar(200),
    resellerId: ref(true),
    createdAt: timestamp(),
  },
});

export const ApiKeyEntity = new EntitySchema<ApiKey>({
  name: "ApiKey",
  tableName: "api_key",
  columns: {
    _id: id(),
    name: varchar(200),
    lookupId: varchar(32),
    secretHash: varchar(64),
    projectId: ref(true),
    resellerId: ref(true),
    platform: boolean(),
    permissions: { type: "text", transformer: jsonArrayTransformer },
    accessLevel: varchar(16, true),
    expiresAt: timestamp(true),
    revokedAt: timestamp(true),
    createdAt: timestamp(),
  },
});

export const SmsEntity = new EntitySchema<Sms>({
  name: "Sms",
  tableName: "sms",
  columns: {
    _id: id(),
    messageId: varchar(MESSAGE_ID_WIDTH),
    projectId: ref(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    direction: varchar(8),
    type: varchar(3),
    fromNumber: varchar(30, true),
    fromNumberDigits: varchar(15, true),
    senderName: varchar(11, true),
    senderNameLower: varchar(11, true),
    toNumber: varchar(30),
    toNumberDigits: varchar(15),
    smsText: text(true),
    deliveryStatus: varchar(12),
    billingStatus: varchar(12),
    status: varchar(16),
    exolveStatus: varchar(12),
    prohibited: boolean(),
    statusMessage: varchar(500, true),
    errorCode: varchar(100, true),
    providerExternalId: varchar(500, true),
    smsCostInUSDCents: integer(),
    cost: decimal(),
    wholeSale: decimal(),
    price: decimal(),
    sentAt: timestamp(true),
    invoicedAt: timestamp(true),
    fromName: varchar(100, true),
    toName: varchar(100, true),
    groupName: varchar(100, true),
    incidentId: ref(true),
    userId: ref(true),
    alertId: ref(true),
    monitorId: ref(true),
    scheduledMaintenanceId: ref(true),
    statusPageId: ref(true),
    statusPageAnnouncementId: ref(true),
    onCallDutyPolicyId: ref(true),
    onCallDutyPolicyEscalationRuleId: ref(true),
    onCallDutyPolicyScheduleId: ref(true),
    teamId: ref(true),
  },
});

export const IncomingCallLogEntity = new EntitySchema<IncomingCallLog>({
  name: "IncomingCallLog",
  tableName: "incoming_call_log",
  columns: {
    _id: id(),
    projectId: ref(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    callerPhoneNumber: varchar(30),
    callerPhoneNumberDigits: varchar(15),
    routingPhoneNumber: varchar(30, true),
    routingPhoneNumberDigits: varchar(15, true),
    callProviderCallId: varchar(500, true),
    status: varchar(100),
    statusMessage: varchar(500, true),
    startedAt: timestamp(),
    endedAt: timestamp(true),
    callDurationInSeconds: integer(true),
    callCostInUSDCents: integer(true),
    incomingCallCostInUSDCents: integer(true),
    outgoingCallCostInUSDCents: integer(true),
    answeredByUserId: ref(true),
    incomingCallPolicyId: ref(true),
  },
});

export const IncomingCallLogItemEntity = new EntitySchema<IncomingCallLogItem>({
  name: "IncomingCallLogItem",
  tableName: "incoming_call_log_item",
  columns: {
    _id: id(),
    projectId: ref(),
    incomingCallLogId: ref(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    incomingCallPolicyEscalationRuleId: ref(true),
    userId: ref(true),
    userPhoneNumber: varchar(30, true),
    userPhoneNumberDigits: varchar(15, true),
    status: varchar(100),
    statusMessage: varchar(500, true),
    dialDurationInSeconds: integer(true),
    callCostInUSDCents: integer(true),
    startedAt: timestamp(true),
    endedAt: timestamp(true),
    isAnswered: boolean(),
  },
});

const allEntities = [
  ResellerEntity,
  ProjectEntity,
  ApiKeyEntity,
  SmsEntity,
  IncomingCallLogEntity,
  IncomingCallLogItemEntity,
];

/**
 * The schemas for one engine. TypeORM validates column types per driver, and
 * "datetime" is not a PostgreSQL type, so PostgreSQL gets copies with the
 * timestamps retyped. Repositories may still pass the exported constants to
 * getRepository(): TypeORM finds an EntitySchema's metadata by its name.
 */
export function entitySchemas(engine: Engine): EntitySchema<any>[] {
  if (engine === "sqlite") return allEntities;
  return allEntities.map((schema) => {
    const columns = Object.fromEntries(
      Object.entries(schema.options.columns).map(([name, column]): [string, Column | undefined] => [
        name,
        column?.type === "datetime" ? { ...column, type: "timestamptz", precision: 3 } : column,
      ]),
    );
    return new EntitySchema({ ...schema.options, columns });
  });
}
