import type { ResourceDef, Selected } from "@commlog/domain";
import type { ObjectLiteral } from "typeorm";

// What leaves the server: only the fields asked for (or, after a create, the resource's own
// fields), as plain wire values.

/** Dates as ISO-8601 UTC with milliseconds; ids, numbers, booleans and texts as they are. */
function wire(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

/**
 * `_id` and the selected fields, each under the name the client asked for (`alert` or `alertId`).
 * A relation selected in the object form is `{"_id": <id>}`, or null when there is none (SPEC §10).
 */
export function presentSelected(row: ObjectLiteral, selected: Selected[]): Record<string, unknown> {
  return Object.fromEntries(
    selected.map((s) => {
      const value = wire(row[s.column]);
      return [s.output, s.form === "object" && value !== null ? { _id: value } : value];
    }),
  );
}

/** Every non-null field of the resource (never derived columns such as the digits of a phone). */
export function presentAll(row: ObjectLiteral, resource: ResourceDef): Record<string, unknown> {
  return Object.fromEntries(resource.fields.filter((f) => row[f.column] != null).map((f) => [f.name, wire(row[f.column])]));
}

/** The entity properties to load for a selection, each once. */
export function columnsOf(selected: Selected[]): string[] {
  return [...new Set(selected.map((s) => s.column))];
}
