// Field catalogs of the Status200 resources: what may be selected, filtered,
// sorted and written, and which entity column stores it.

export type FieldKind = "uuid" | "date" | "text" | "phone" | "integer" | "boolean";
export type Writable = "create" | "update" | "create+update" | "never";

export interface FieldDef {
  readonly name: string;
  readonly kind: FieldKind;
  readonly nullable: boolean;
  /** Entity property holding the value as given. */
  readonly column: string;
  /** Phones only: the digits-only copy every filter compares. */
  readonly matchColumn?: string;
  /** Relation alias naming the same id (`alert` for `alertId`). */
  readonly relation?: string;
  readonly sortable: boolean;
  readonly writable: Writable;
  /** Text and phone: most characters accepted on write. */
  readonly maxLength?: number;
}

export interface ResourceDef {
  readonly name: "SmsLog" | "IncomingCallLogItem" | "IncomingCallLog";
  readonly fields: readonly FieldDef[];
}

type Opts = Partial<Pick<FieldDef, "nullable" | "relation" | "writable" | "maxLength" | "sortable">>;

// Long text (message bodies, status messages, provider ids) is filterable but
// not sortable: every sortable column gets an index, and these would be huge.
function field(name: string, kind: FieldKind, o: Opts = {}): FieldDef {
  return {
    name,
    kind,
    nullable: o.nullable ?? false,
    column: name,
    ...(kind === "phone" ? { matchColumn: `${name}Digits` } : {}),
    ...(o.relation ? { relation: o.relation } : {}),
    sortable: o.sortable ?? kind !== "phone",
    writable: o.writable ?? "never",
    ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : kind === "phone" ? { maxLength: 30 } : {}),
  };
}

const base = (projectWritable: Writable = "never"): FieldDef[] => [
  field("_id", "uuid"),
  field("createdAt", "date"),
  field("updatedAt", "date"),
  field("projectId", "uuid", { relation: "project", writable: projectWritable }),
];

const optionalRef = (name: string, relation: string, writable: Writable = "never"): FieldDef =>
  field(name, "uuid", { nullable: true, relation, writable });

export const SMS_LOG: ResourceDef = {
  name: "SmsLog",
  fields: [
    ...base(),
    field("toNumber", "phone"),
    field("fromNumber", "phone", { nullable: true }),
    field("smsText", "text", { nullable: true, sortable: false }),
    field("statusMessage", "text", { nullable: true, sortable: false, maxLength: 500 }),
    field("providerExternalId", "text", { nullable: true, sortable: false, maxLength: 500 }),
    field("status", "text", { maxLength: 100 }),
    field("smsCostInUSDCents", "integer"),
    optionalRef("incidentId", "incident"),
    optionalRef("userId", "user"),
    optionalRef("alertId", "alert"),
    optionalRef("monitorId", "monitor"),
    optionalRef("scheduledMaintenanceId", "scheduledMaintenance"),
    optionalRef("statusPageId", "statusPage"),
    optionalRef("statusPageAnnouncementId", "statusPageAnnouncement"),
    optionalRef("onCallDutyPolicyId", "onCallDutyPolicy"),
    optionalRef("onCallDutyPolicyEscalationRuleId", "onCallDutyPolicyEscalationRule"),
    optionalRef("onCallDutyPolicyScheduleId", "onCallDutyPolicySchedule"),
    optionalRef("teamId", "team"),
  ],
};

export const INCOMING_CALL_LOG_ITEM: ResourceDef = {
  name: "IncomingCallLogItem",
  fields: [
    ...base("create"),
    field("incomingCallLogId", "uuid", { relation: "incomingCallLog", writable: "create" }),
    optionalRef("incomingCallPolicyEscalationRuleId", "incomingCallPolicyEscalationRule", "create"),
    optionalRef("userId", "user", "create"),
    field("userPhoneNumber", "phone", { nullable: true, writable: "create" }),
    field("status", "text", { writable: "create+update", maxLength: 100 }),
    field("statusMessage", "text", { nullable: true, writable: "create+update", maxLength: 500, sortable: false }),
    field("dialDurationInSeconds", "integer", { nullable: true, writable: "create+update" }),
    field("callCostInUSDCents", "integer", { nullable: true, writable: "create+update" }),
    field("startedAt", "date", { nullable: true, writable: "create+update" }),
    field("endedAt", "date", { nullable: true, writable: "create+update" }),
    field("isAnswered", "boolean", { writable: "create+update" }),
  ],
};

export const INCOMING_CALL_LOG: ResourceDef = {
  name: "IncomingCallLog",
  fields: [
    ...base(),
    field("callerPhoneNumber", "phone"),
    field("routingPhoneNumber", "phone", { nullable: true }),
    field("callProviderCallId", "text", { nullable: true, sortable: false, maxLength: 500 }),
    field("status", "text", { maxLength: 100 }),
    field("statusMessage", "text", { nullable: true, sortable: false, maxLength: 500 }),
    field("startedAt", "date", { nullable: true }),
    field("endedAt", "date", { nullable: true }),
    field("callDurationInSeconds", "integer", { nullable: true }),
    field("callCostInUSDCents", "integer", { nullable: true }),
    field("incomingCallCostInUSDCents", "integer", { nullable: true }),
    field("outgoingCallCostInUSDCents", "integer", { nullable: true }),
    optionalRef("answeredByUserId", "answeredByUser"),
    optionalRef("incomingCallPolicyId", "incomingCallPolicy"),
  ],
};

export const RESOURCES = [SMS_LOG, INCOMING_CALL_LOG_ITEM, INCOMING_CALL_LOG] as const;

/** Looks a name up as a field or as a relation alias. */
export function findField(resource: ResourceDef, name: string): { field: FieldDef; viaRelation: boolean } | undefined {
  for (const f of resource.fields) {
    if (f.name === name) return { field: f, viaRelation: false };
    if (f.relation === name) return { field: f, viaRelation: true };
  }
  return undefined;
}
