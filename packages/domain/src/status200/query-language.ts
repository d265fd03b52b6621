import { status200FilterForms, status200OperatorShapes, type Status200Operator } from "@commlog/contracts";
import { DomainError, invalid } from "../common/errors.js";
import { isPhone, phoneDigits } from "../common/phone-number.js";
import { findField, type FieldDef, type FieldKind, type ResourceDef } from "./resources.js";
import { describe, isPlainObject, isWrapper, parseDate, parseUuid, unwrap, type WrapperType } from "../common/wire-values.js";

// The Status200 query language (SPEC §4, §9), parsed and validated into a
// neutral form the repository turns into bound-parameter SQL. The tenant
// condition is not part of it: the repository always adds it.

export type Op =
  | "eq" | "ne" | "in" | "notIn"
  | "gt" | "gte" | "lt" | "lte" | "between"
  | "isNull" | "notNull" | "eqOrNull" | "gtOrNull" | "ltOrNull"
  | "contains" | "notContains" | "startsWith" | "endsWith";

/** Typed values: Date for dates, lowercased uuid strings, digits for phones, numbers, booleans, text. */
export type QueryValue = string | number | boolean | Date;

/**
 * One ANDed condition.
 * - `column` is the entity property to compare; for phones it is the digits
 *   copy (`toNumberDigits`) and every value is digits.
 * - eq/ne/gt/gte/lt/lte/eqOrNull/gtOrNull/ltOrNull use `value`; in/notIn
 *   `values` (never empty); between `start` and `end` (inclusive).
 * - contains/notContains/startsWith/endsWith: `value` is the lowercased text
 *   and `pattern` a LIKE pattern with `%`, `_` and `\` escaped by `\`: match
 *   with `LOWER(column) LIKE :pattern ESCAPE '\'` (NOT LIKE for notContains).
 * - ne, notIn and notContains follow SQL: they do not match NULL.
 */
export interface Condition {
  /** The key as the client wrote it (`alert` or `alertId`). */
  field: string;
  column: string;
  kind: FieldKind;
  op: Op;
  value?: QueryValue;
  values?: QueryValue[];
  start?: QueryValue;
  end?: QueryValue;
  pattern?: string;
}

/**
 * What each operator of the contract means here. Which operators exist, the keys each carries and
 * which field kinds take them are the generated documents' (`status200OperatorShapes`,
 * `status200FilterForms`): an operator added to the TypeSpec fails to compile here until it is given a meaning.
 */
const OPERATOR_OPS: Record<Status200Operator, Op> = {
  EqualTo: "eq",
  NotEqual: "ne",
  GreaterThan: "gt",
  GreaterThanOrEqual: "gte",
  LessThan: "lt",
  LessThanOrEqual: "lte",
  InBetween: "between",
  Search: "contains",
  NotContains: "notContains",
  StartsWith: "startsWith",
  EndsWith: "endsWith",
  Includes: "in",
  IncludesNone: "notIn",
  IsNull: "isNull",
  NotNull: "notNull",
  EqualToOrNull: "eqOrNull",
  GreaterThanOrNull: "gtOrNull",
  LessThanOrNull: "ltOrNull",
};

/** Operators compared as (case-insensitive) text rather than as a typed value. */
const TEXT_OPS: readonly Op[] = ["contains", "notContains", "startsWith", "endsWith"];

type Shape = (typeof status200OperatorShapes)[Status200Operator];
type Forms = { list: boolean; operators: readonly Status200Operator[]; nullOperators?: readonly Status200Operator[] };
const FORMS: Record<FieldKind, Forms> = status200FilterForms;

/** Operators only nullable fields take (for any kind). */
const NULL_OPERATORS = new Set(Object.values(FORMS).flatMap((f) => f.nullOperators ?? []));

const SHAPE_KEYS: Record<Shape, readonly string[]> = {
  value: ["_type", "value"],
  values: ["_type", "value"],
  range: ["_type", "startValue", "endValue"],
  none: ["_type"],
};

const WRAPPER_OF: Partial<Record<FieldKind, WrapperType>> = { uuid: "ObjectID", date: "DateTime", phone: "Phone" };

/** Bound parameters are finite: a longer list is almost surely a mistake. */
export const MAX_LIST_VALUES = 1000;

/** `query` → ANDed conditions; every key yields exactly one condition or a 400. */
export function parseQuery(resource: ResourceDef, query: unknown): Condition[] {
  if (query === undefined || query === null) return [];
  if (!isPlainObject(query)) throw invalid("query", "must be an object of field: condition", "invalid_query");
  return Object.entries(query).map(([key, raw]) => parseCondition(resource, key, raw));
}

function parseCondition(resource: ResourceDef, key: string, raw: unknown): Condition {
  const path = `query.${key}`;
  const found = findField(resource, key);
  if (!found || !found.field.filterable) throw invalid(path, `unknown field of the ${resource.label}`, "unknown_field");
  const f = found.field;
  const base = { field: key, column: f.matchColumn ?? f.column, kind: f.kind };

  // Checked before anything else: an absent value must never widen the query.
  if (raw === undefined) throw invalid(path, "value is missing");
  if (raw === null) {
    requireNullable(f, path, "null");
    return { ...base, op: "isNull" };
  }
  if (Array.isArray(raw)) {
    if (!FORMS[f.kind].list) throw invalid(path, `a list of values does not apply to ${article(f.kind)} ${f.kind} field`, "invalid_query");
    return { ...base, op: "in", values: typedList(f, raw, path) };
  }
  if (isPlainObject(raw) && !isWrapper(raw)) {
    const type = raw["_type"];
    if (typeof type !== "string") {
      // E.g. {"incomingCallLog": {"status": "x"}}: filtering through a relation
      // would bypass the related resource's own permission checks.
      throw invalid(
        path,
        f.relation
          ? `filters on the related ${f.relation} are not supported; compare ${f.name} with a uuid or an operator`
          : `expected a value or an operator object {"_type": ...}, got an object`,
        "invalid_query",
      );
    }
    return { ...base, ...parseOperator(f, type, raw, path) };
  }
  return { ...base, op: "eq", value: typedValue(f, raw, path) };
}

function parseOperator(f: FieldDef, type: string, raw: Record<string, unknown>, path: string): Omit<Condition, "field" | "column" | "kind"> {
  const operator = Object.hasOwn(OPERATOR_OPS, type) ? (type as Status200Operator) : undefined;
  if (!operator) throw invalid(path, `unknown operator "${type}"; ${takes(f)}`, "invalid_query");
  const op = OPERATOR_OPS[operator];
  const shape: Shape = status200OperatorShapes[operator];
  const extra = Object.keys(raw).find((k) => !SHAPE_KEYS[shape].includes(k));
  if (extra !== undefined) throw invalid(path, `unexpected key "${extra}" in a ${type} operator`, "invalid_query");
  if (NULL_OPERATORS.has(operator)) requireNullable(f, path, `operator "${type}"`);
  const forms = FORMS[f.kind];
  if (!forms.operators.includes(operator) && !forms.nullOperators?.includes(operator)) {
    throw invalid(path, `operator "${type}" does not apply to ${article(f.kind)} ${f.kind} field; ${takes(f)}`, "invalid_query");
  }

  switch (shape) {
    case "none":
      return { op };
    case "range":
      return { op, start: typedValue(f, raw["startValue"], `${path}.startValue`), end: typedValue(f, raw["endValue"], `${path}.endValue`) };
    case "values": {
      const list = raw["value"];
      if (!Array.isArray(list)) throw invalid(path, `${type} expects "value" to be a list, got ${describe(list)}`);
      return { op, values: typedList(f, list, path) };
    }
    case "value":
      if (TEXT_OPS.includes(op)) return textMatch(f, op, raw["value"], path);
      return { op, value: typedValue(f, raw["value"], path) };
  }
}

/** "this field takes EqualTo, NotEqual, …": the operators of the field's kind (and the null ones when it is nullable). */
function takes(f: FieldDef): string {
  const forms = FORMS[f.kind];
  return `${f.name} takes ${[...forms.operators, ...(f.nullable ? (forms.nullOperators ?? []) : [])].join(", ")}`;
}

function requireNullable(f: FieldDef, path: string, what: string): void {
  if (!f.nullable) throw invalid(path, `${what} does not apply: ${f.name} is never null`, "invalid_query");
}

function typedList(f: FieldDef, list: unknown[], path: string): QueryValue[] {
  if (list.length === 0) throw invalid(path, "the list is empty; give at least one value");
  if (list.length > MAX_LIST_VALUES) throw invalid(path, `the list has more than ${MAX_LIST_VALUES} values`);
  return list.map((v, i) => typedValue(f, v, `${path}[${i}]`));
}

/** A plain (or wrapped) value typed by the field's kind; never null here. */
export function typedValue(f: FieldDef, raw: unknown, path: string): QueryValue {
  const v = unwrap(raw, WRAPPER_OF[f.kind], path);
  switch (f.kind) {
    case "uuid":
      return parseUuid(v, path);
    case "date":
      return parseDate(v, path);
    case "text":
      if (typeof v !== "string") throw invalid(path, `expected a string, got ${describe(v)}`);
      return v;
    case "phone":
      if (typeof v !== "string" || !isPhone(v)) {
        throw invalid(path, `expected a phone number (up to 30 characters of +, digits, space, -().; 3 to 15 digits), got ${describe(v)}`);
      }
      return phoneDigits(v);
    case "integer":
      if (typeof v !== "number" || !Number.isSafeInteger(v)) throw invalid(path, `expected an integer, got ${describe(v)}`);
      return v;
    case "boolean":
      if (typeof v !== "boolean") throw invalid(path, `expected true or false, got ${describe(v)}`);
      return v;
  }
}

/**
 * Case-insensitive text operators; `%` and `_` in the value are literal. Phones compare digits.
 * Ids compare their lowercase canonical text (stored so); `StartsWith` with a prefix of that form
 * becomes the range of ids it covers, which an index on the id can answer.
 */
function textMatch(f: FieldDef, op: Op, raw: unknown, path: string): Omit<Condition, "field" | "column" | "kind"> {
  const v = unwrap(raw, WRAPPER_OF[f.kind], path);
  if (typeof v !== "string") throw invalid(path, `expected a string, got ${describe(v)}`);
  let value: string;
  if (f.kind === "uuid") {
    value = v.toLowerCase();
    const range = op === "startsWith" ? uuidPrefixRange(value) : undefined;
    if (range) return { op: "between", start: range.start, end: range.end };
  } else if (f.kind === "phone") {
    if (!/^[+0-9 ().-]*$/.test(v) || phoneDigits(v) === "") {
      throw invalid(path, `expected part of a phone number (digits and + -(). or space), got ${describe(v)}`);
    }
    value = phoneDigits(v);
  } else {
    value = v.toLowerCase();
  }
  const e = escapeLike(value);
  const pattern = op === "startsWith" ? `${e}%` : op === "endsWith" ? `%${e}` : `%${e}%`;
  return { op, value, pattern };
}

const UUID_LOW = "00000000-0000-0000-0000-000000000000";
const UUID_HIGH = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/**
 * The ids starting with `prefix` (lowercase) as an inclusive range of canonical uuid texts, or
 * undefined when no canonical uuid starts with it (it then matches nothing). Canonical texts have
 * one length and their dashes in the same places, and `0` and `f` are the least and greatest hex
 * digits, so in text order exactly the ids with the prefix lie between the two paddings.
 */
export function uuidPrefixRange(prefix: string): { start: string; end: string } | undefined {
  if (prefix.length > UUID_LOW.length) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    const fits = UUID_LOW[i] === "-" ? c === "-" : /[0-9a-f]/.test(c);
    if (!fits) return undefined;
  }
  return { start: prefix + UUID_LOW.slice(prefix.length), end: prefix + UUID_HIGH.slice(prefix.length) };
}

/** Escapes LIKE wildcards with `\` (the pattern is used with ESCAPE '\'). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function article(kind: FieldKind): string {
  return kind === "integer" ? "an" : "a";
}

// ---- select, sort, pagination, groupBy -------------------------------------

export interface Selected {
  /** The key in the response: the name asked (`alert` or `alertId`). */
  output: string;
  column: string;
  /**
   * `id`: the value as stored (a relation selected with `true` is its related id);
   * `object`: a relation selected with an object of sub-fields, returned as `{"_id": id}` or null.
   */
  form: "id" | "object";
}

/** At most this many sub-fields in the object form of a relation select (SPEC §10). */
export const MAX_RELATION_SUBFIELDS = 50;
const SUBFIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,99}$/;

/**
 * `select` → output names and their columns; `_id` always comes first. A field is selected by
 * `true` (`false` leaves it out); a relation also by an object of sub-fields
 * (`{"alert": {"_id": true, "title": true}}`), which returns `{"_id": "<id>"}` or null.
 */
export function parseSelect(resource: ResourceDef, select: unknown): Selected[] {
  const out: Selected[] = [{ output: "_id", column: "_id", form: "id" }];
  if (select === undefined || select === null) return out;
  if (!isPlainObject(select)) throw invalid("select", "must be an object of field: true", "invalid_query");
  for (const [key, v] of Object.entries(select)) {
    const path = `select.${key}`;
    const found = findField(resource, key);
    if (!found || !found.field.selectable) throw invalid(path, `unknown field of the ${resource.label}`, "unknown_field");
    let form: Selected["form"] = "id";
    if (isPlainObject(v) && found.viaRelation) {
      relationSubfields(v, path);
      form = "object";
    } else if (typeof v !== "boolean") {
      const expected = found.viaRelation ? `true, false or an object of sub-fields {"_id": true, ...}` : "true or false";
      throw invalid(path, `expected ${expected}, got ${describe(v)}`, "invalid_query");
    } else if (!v) continue;
    if (!out.some((s) => s.output === key)) out.push({ output: key, column: found.field.column, form });
  }
  return out;
}

/** The sub-fields of a relation's object select: identifiers, at most 50, each `true`. */
function relationSubfields(v: Record<string, unknown>, path: string): void {
  const entries = Object.entries(v);
  if (entries.length > MAX_RELATION_SUBFIELDS) throw invalid(path, `selects more than ${MAX_RELATION_SUBFIELDS} sub-fields`, "invalid_query");
  for (const [name, value] of entries) {
    if (!SUBFIELD_NAME.test(name)) throw invalid(path, `sub-field ${describe(name)} is not an identifier`, "invalid_query");
    if (value !== true) throw invalid(`${path}.${name}`, `expected true, got ${describe(value)}`, "invalid_query");
  }
}

export type SortDirection = "ASC" | "DESC";
export interface SortKey {
  column: string;
  direction: SortDirection;
}

/**
 * `sort` → ORDER BY keys, default `createdAt` descending, always ending with
 * `_id` (in the last key's direction) so pages never overlap.
 */
export function parseSort(resource: ResourceDef, sort: unknown): SortKey[] {
  const keys: SortKey[] = [];
  if (sort !== undefined && sort !== null) {
    if (!isPlainObject(sort)) throw invalid("sort", `must be an object of field: "ASC" | "DESC" | 1 | -1`, "invalid_query");
    for (const [key, v] of Object.entries(sort)) {
      const path = `sort.${key}`;
      const found = findField(resource, key);
      if (!found) throw invalid(path, `unknown field of the ${resource.label}`, "unknown_field");
      if (found.viaRelation) throw invalid(path, `sort by ${found.field.name}, not by the relation`, "invalid_query");
      if (!found.field.sortable) throw invalid(path, `${key} cannot be sorted on`, "invalid_query");
      const direction = v === "ASC" || v === 1 ? "ASC" : v === "DESC" || v === -1 ? "DESC" : undefined;
      if (!direction) throw invalid(path, `expected "ASC", "DESC", 1 or -1, got ${describe(v)}`, "invalid_query");
      keys.push({ column: found.field.column, direction });
    }
  }
  if (keys.length === 0) keys.push({ column: "createdAt", direction: "DESC" });
  if (!keys.some((k) => k.column === "_id")) keys.push({ column: "_id", direction: keys[keys.length - 1]!.direction });
  return keys;
}

export interface Pagination {
  skip: number;
  limit: number;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

/** `skip`/`limit` from the query string or the body; the query string wins. */
export function parsePagination(
  queryString: { skip?: unknown; limit?: unknown } = {},
  body: { skip?: unknown; limit?: unknown } = {},
): Pagination {
  const pick = (k: "skip" | "limit"): unknown => (queryString[k] !== undefined ? queryString[k] : body[k]);
  return {
    skip: pageNumber("skip", pick("skip"), 0, Number.MAX_SAFE_INTEGER, 0),
    limit: pageNumber("limit", pick("limit"), 1, MAX_LIMIT, DEFAULT_LIMIT),
  };
}

function pageNumber(name: string, raw: unknown, min: number, max: number, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === MAX_LIMIT ? `from ${min} to ${max}` : `>= ${min}`;
    throw new DomainError("invalid_value", `${name}: must be an integer ${range}, got ${describe(raw)}`, { status: 400, field: name });
  }
  return n;
}

/** The upstream client sends `groupBy: {}` with every list; anything more is not supported. */
export function parseGroupBy(groupBy: unknown): void {
  if (groupBy === undefined || groupBy === null) return;
  if (isPlainObject(groupBy) && Object.keys(groupBy).length === 0) return;
  throw new DomainError("invalid_query", "groupBy is not supported", { status: 400, field: "groupBy" });
}
