import { status200Catalog, type CatalogField, type CatalogFieldKind } from "@commlog/contracts";

// The Status200 resources as the domain uses them: the generated field catalog (kind, nullability,
// what may be selected, filtered, sorted and written, bounds, relation aliases, defaults; all read
// from the TypeSpec) plus where the server stores each field. Nothing here is written per field.

export type FieldKind = CatalogFieldKind;
export type Writable = CatalogField["writable"];

export interface FieldDef extends CatalogField {
  /** Entity property holding the value as given: the field's own name. */
  readonly column: string;
  /** Phones only: the digits-only copy every filter compares (`<name>Digits`, a column of the entity). */
  readonly matchColumn?: string;
}

export interface ResourceDef {
  readonly name: "SmsLog" | "IncomingCallLogItem" | "IncomingCallLog";
  /** What error messages call it (never the schema's name): "SMS log". */
  readonly label: string;
  readonly fields: readonly FieldDef[];
}

/** The resources as the Status200 reference and its users name them. */
const LABELS: Record<ResourceDef["name"], string> = {
  SmsLog: "SMS log",
  IncomingCallLogItem: "incoming call log item",
  IncomingCallLog: "incoming call log",
};

function resource(name: ResourceDef["name"]): ResourceDef {
  const fields = status200Catalog[name].fields.map(
    (f: CatalogField): FieldDef => ({ ...f, column: f.name, ...(f.kind === "phone" ? { matchColumn: `${f.name}Digits` } : {}) }),
  );
  return { name, label: LABELS[name], fields };
}

export const SMS_LOG: ResourceDef = resource("SmsLog");
export const INCOMING_CALL_LOG_ITEM: ResourceDef = resource("IncomingCallLogItem");
export const INCOMING_CALL_LOG: ResourceDef = resource("IncomingCallLog");

export const RESOURCES = [SMS_LOG, INCOMING_CALL_LOG_ITEM, INCOMING_CALL_LOG] as const;

/** Looks a name up as a field or as a relation alias. */
export function findField(resource: ResourceDef, name: string): { field: FieldDef; viaRelation: boolean } | undefined {
  for (const f of resource.fields) {
    if (f.name === name) return { field: f, viaRelation: false };
    if (f.relation === name) return { field: f, viaRelation: true };
  }
  return undefined;
}
