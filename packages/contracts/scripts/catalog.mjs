// The field catalog of the Status200 resources and the Exolve GetCount field table, read off the
// emitted OpenAPI documents (see generate.mjs). Every fact comes from a schema; every rule that
// links two schemas is checked here, and a broken one fails `npm run generate`.

/** Status200 resources: each has `<R>`, `<R>Select`, `<R>Query`, `<R>Sort`, optionally `<R>CreateData` / `<R>UpdateData`. */
const RESOURCES = ["SmsLog", "IncomingCallLogItem", "IncomingCallLog"];

/** Filter union name (without `Nullable`) -> field kind. */
const FILTER_KINDS = { UuidFilter: "uuid", DateFilter: "date", TextFilter: "text", PhoneFilter: "phone", IntegerFilter: "integer", BoolFilter: "boolean" };

const BOUND_KEYS = ["minLength", "maxLength", "pattern", "minimum", "maximum"];

function fail(message) {
  throw new Error(`field catalog: ${message}`);
}

function schemaTools(document) {
  const schemas = document.components?.schemas ?? {};
  const refName = (s) => (s?.$ref ? s.$ref.replace("#/components/schemas/", "") : undefined);
  const deref = (s) => {
    const name = refName(s);
    if (name === undefined) return s;
    if (!schemas[name]) fail(`dangling $ref ${s.$ref}`);
    return schemas[name];
  };
  /** `{allOf: [ref], ...local}` -> the referenced schema with the local keys over it. */
  const flat = (s) => {
    if (s?.allOf?.length === 1) {
      const { allOf, ...local } = s;
      return { ...flat(deref(allOf[0])), ...local, ref: refName(allOf[0]) ?? flat(deref(allOf[0])).ref };
    }
    const name = refName(s);
    return name ? { ...flat(deref(s)), ref: name } : s;
  };
  /** A property schema's members: `anyOf` spread (one level), each flattened. */
  const members = (s) => {
    const f = flat(s);
    return f.anyOf ? f.anyOf.map((m) => ({ ...flat(m), ref: refName(m) ?? flat(m).ref })) : [f];
  };
  const model = (name) => schemas[name] ?? fail(`no schema ${name}`);
  return { schemas, flat, members, model, refName };
}

/** The kind of a value schema of a resource object (Uuid, Timestamp, Phone, an integer, a boolean, text). */
function valueKind(s) {
  if (s.ref === "Commlog.Common.Phone") return "phone";
  if (s.type === "integer") return "integer";
  if (s.type === "boolean") return "boolean";
  if (s.type === "string" && s.format === "uuid") return "uuid";
  if (s.type === "string" && s.format === "date-time") return "date";
  if (s.type === "string") return "text";
  return fail(`no field kind for schema ${JSON.stringify(s).slice(0, 120)}`);
}

/** A write schema's plain value (wrappers such as ObjectIdWrapper are another spelling of it). */
function plainMember(ms, flat, refName) {
  const isPlain = (m) => m.type !== "null" && !/Wrapper$/.test(m.ref ?? "");
  return ms.filter(isPlain).flatMap((m) => (m.anyOf ? m.anyOf.map((x) => ({ ...flat(x), ref: refName(x) ?? flat(x).ref })).filter(isPlain) : [m]));
}

function boundsOf(schemas, flat) {
  const out = {};
  for (const s of schemas) {
    const f = flat(s);
    for (const key of BOUND_KEYS) if (f[key] !== undefined) out[key] = f[key];
  }
  return out;
}

/** One resource's catalog from its schemas. */
function resourceCatalog(tools, resource) {
  const { flat, members, model, schemas } = tools;
  const object = model(resource);
  const select = model(`${resource}Select`).properties;
  const query = model(`${resource}Query`).properties;
  const sort = model(`${resource}Sort`).properties;
  const create = schemas[`${resource}CreateData`];
  const update = schemas[`${resource}UpdateData`];

  // Relation aliases: a property admitting RelatedObject. Rule: alias `x` names the id field `xId`.
  const aliases = new Map();
  for (const [name, s] of Object.entries(object.properties)) {
    if (!members(s).some((m) => m.ref === "RelatedObject")) continue;
    const id = `${name}Id`;
    if (!object.properties[id]) fail(`${resource}.${name} admits RelatedObject but ${resource} has no ${id}`);
    aliases.set(name, id);
  }
  const isAlias = (name) => aliases.has(name);

  const fields = [];
  for (const [name, s] of Object.entries(object.properties)) {
    if (isAlias(name)) continue;
    const ms = members(s);
    const nullable = ms.some((m) => m.type === "null");
    const values = ms.filter((m) => m.type !== "null");
    if (values.length !== 1) fail(`${resource}.${name} is not one value kind`);
    const kind = valueKind(values[0]);

    const filter = query[name] && flat(query[name]).ref;
    if (filter !== undefined) {
      const base = filter.replace(/^Nullable/, "");
      if (FILTER_KINDS[base] !== kind) fail(`${resource}Query.${name} is a ${filter}, but ${resource}.${name} is ${kind}`);
      if (filter.startsWith("Nullable") !== nullable) fail(`${resource}Query.${name} (${filter}) and ${resource}.${name} disagree on null`);
    }
    const field = { name, kind, nullable, selectable: select[name] !== undefined, filterable: filter !== undefined, sortable: sort[name] !== undefined };
    if (field.selectable && flat(select[name]).type !== "boolean") fail(`${resource}Select.${name} must be a boolean`);

    const relation = [...aliases].find(([, id]) => id === name)?.[0];
    if (relation !== undefined) {
      if (kind !== "uuid") fail(`${resource}.${relation} aliases ${name}, which is no uuid`);
      const aliasNullable = members(object.properties[relation]).some((m) => m.type === "null");
      if (aliasNullable !== nullable) fail(`${resource}.${relation} and ${name} disagree on null`);
      if ((query[relation] && flat(query[relation]).ref) !== filter) fail(`${resource}Query.${relation} must take the filter of ${name} (${filter})`);
      if ((select[relation] && flat(select[relation]).ref) !== "RelationSelect") fail(`${resource}Select.${relation} must be a RelationSelect`);
      if (sort[relation] !== undefined) fail(`${resource}Sort.${relation}: relation aliases are no sort keys`);
      field.relation = relation;
    }

    const writes = [];
    for (const [mode, data] of [["create", create], ["update", update]]) {
      const p = data?.properties?.[name];
      if (!p) continue;
      const wm = members(p);
      if (wm.some((m) => m.type === "null") !== nullable) fail(`${resource}${mode === "create" ? "Create" : "Update"}Data.${name} and ${resource}.${name} disagree on null`);
      const plain = plainMember(wm, flat, tools.refName);
      if (plain.length !== 1 || valueKind(flat(plain[0])) !== kind) fail(`${resource}${mode}Data.${name} is not a ${kind}`);
      writes.push({ mode, schemas: [plain[0], p], default: flat(p).default, required: mode === "create" && (data.required ?? []).includes(name) });
    }
    field.writable = writes.length === 0 ? "never" : writes.map((w) => w.mode).join("+");
    if (writes.some((w) => w.required)) field.required = true;
    const dflt = writes.find((w) => w.default !== undefined)?.default;
    if (dflt !== undefined) field.default = dflt;
    // Bounds: of the write schemas when writable (create and update must agree), else of the read schema.
    const bounds = writes.length ? writes.map((w) => boundsOf(w.schemas, flat)) : [boundsOf([values[0]], flat)];
    if (bounds.some((b) => JSON.stringify(b) !== JSON.stringify(bounds[0]))) fail(`${resource}.${name}: create and update state different bounds`);
    Object.assign(field, bounds[0]);
    fields.push(field);
  }

  const known = new Set([...fields.map((f) => f.name), ...aliases.keys()]);
  for (const [label, props] of [["Select", select], ["Query", query], ["Sort", sort], ["CreateData", create?.properties ?? {}], ["UpdateData", update?.properties ?? {}]]) {
    for (const name of Object.keys(props)) if (!known.has(name)) fail(`${resource}${label}.${name} is no property of ${resource}`);
  }
  for (const alias of aliases.keys()) {
    if (create?.properties?.[alias] || update?.properties?.[alias]) fail(`${resource}: relation alias ${alias} cannot be written`);
  }
  return { name: resource, fields };
}

/**
 * Per filter kind: whether a bare list is accepted and which operators (by `_type`) apply, on every
 * field of the kind and additionally on nullable ones; and per operator the keys it carries.
 */
function queryOperators(tools) {
  const { flat, members, model, schemas } = tools;
  const shapes = {};
  const kinds = {};
  const read = (union) => {
    const out = { list: false, operators: [] };
    for (const m of members(model(union))) {
      if (m.type === "array") out.list = true;
      const type = m.properties?._type?.enum?.[0];
      if (m.type !== "object" || type === undefined || /Wrapper$/.test(m.ref ?? "")) continue;
      const keys = Object.keys(m.properties).filter((k) => k !== "_type");
      const shape = keys.length === 0 ? "none" : keys.join(",") === "startValue,endValue" ? "range" : keys.join(",") === "value" ? (flat(m.properties.value).type === "array" ? "values" : "value") : fail(`operator ${type}: keys ${keys}`);
      if (shapes[type] !== undefined && shapes[type] !== shape) fail(`operator ${type} has two shapes`);
      shapes[type] = shape;
      out.operators.push(type);
    }
    return out;
  };
  for (const [union, kind] of Object.entries(FILTER_KINDS)) {
    const base = read(union);
    const entry = { list: base.list, operators: base.operators };
    if (schemas[`Nullable${union}`]) {
      const nullable = read(`Nullable${union}`);
      const refs = members(model(`Nullable${union}`)).map((m) => m.ref);
      if (!refs.includes(union)) fail(`Nullable${union} must include ${union}`);
      entry.nullOperators = nullable.operators.filter((op) => !base.operators.includes(op));
    }
    kinds[kind] = entry;
  }
  return { shapes, kinds };
}

/** JSON with one line per field (or per entry of a table): readable in review, stable in diffs. */
function json(v, depth = 0) {
  const pad = "  ".repeat(depth + 1);
  const end = "  ".repeat(depth);
  if (Array.isArray(v) && v.every((x) => typeof x === "object" && x !== null)) return `[\n${v.map((x) => pad + JSON.stringify(x)).join(",\n")},\n${end}]`;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).some((x) => typeof x === "object" && x !== null)) {
    return `{\n${Object.entries(v).map(([k, x]) => `${pad}${JSON.stringify(k)}: ${json(x, depth + 1)}`).join(",\n")},\n${end}}`;
  }
  return JSON.stringify(v);
}

/** status200/catalog.ts */
export function status200CatalogModule(header, document) {
  const tools = schemaTools(document);
  const resources = Object.fromEntries(RESOURCES.map((r) => [r, resourceCatalog(tools, r)]));
  const { shapes, kinds } = queryOperators(tools);
  return `${header}
/** What a field holds, read from its schema (Uuid, Timestamp, Phone, an integer, a boolean or text). */
export type CatalogFieldKind = "uuid" | "date" | "text" | "phone" | "integer" | "boolean";

/** One property of a Status200 resource, as its schemas state it. */
export interface CatalogField {
  readonly name: string;
  readonly kind: CatalogFieldKind;
  /** The property admits null. */
  readonly nullable: boolean;
  /** The relation alias naming the same id (\`alert\` for \`alertId\`): a property admitting RelatedObject. */
  readonly relation?: string;
  /** A property of \`<Resource>Select\`, \`<Resource>Query\`, \`<Resource>Sort\`. */
  readonly selectable: boolean;
  readonly filterable: boolean;
  readonly sortable: boolean;
  /** In \`<Resource>CreateData\` and/or \`<Resource>UpdateData\`. */
  readonly writable: "never" | "create" | "update" | "create+update";
  /** Required in \`<Resource>CreateData\`. */
  readonly required?: true;
  /** The default \`<Resource>CreateData\` states: the server fills it in when left out. */
  readonly default?: string | number | boolean;
  /** Bounds of the write schema (of the read schema when never written). */
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface CatalogResource {
  readonly name: ${RESOURCES.map((r) => JSON.stringify(r)).join(" | ")};
  readonly fields: readonly CatalogField[];
}

/** Every Status200 resource's fields, in schema order. */
export const status200Catalog = ${json(resources)} as const satisfies Record<string, CatalogResource>;

/** The query language's operators (by \`_type\`) and the keys each carries besides \`_type\`. */
export const status200OperatorShapes = ${json(shapes)} as const satisfies Record<string, "value" | "values" | "range" | "none">;

export type Status200Operator = keyof typeof status200OperatorShapes;

/**
 * Per field kind, the filter union's forms: a bare list (\`list\`), the operators every field of
 * the kind takes, and (\`nullOperators\`) those only nullable fields take.
 */
export const status200FilterForms = ${json(kinds)} as const satisfies Record<CatalogFieldKind, { list: boolean; operators: readonly Status200Operator[]; nullOperators?: readonly Status200Operator[] }>;
`;
}

const camel = (snake) => snake.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * exolve/fields.ts: the GetCount body's wire names. Proto3 JSON accepts a field's snake_case name
 * and its lowerCamelCase name; a property whose name is the lowerCamelCase of another is that
 * field's alias (the contract documents both), so each field is keyed by its lowerCamelCase name.
 */
export function exolveFieldsModule(header, document) {
  const tools = schemaTools(document);
  const request = tools.model("GetCountRequest");
  const names = Object.keys(request.properties);
  const fields = {};
  for (const wire of names) {
    const key = camel(wire);
    if (key !== wire && !names.includes(key)) fail(`Exolve GetCountRequest.${wire} has no lowerCamelCase twin ${key}`);
    const snake = names.find((n) => camel(n) === key && n.includes("_")) ?? wire;
    fields[wire] = [key, snake];
  }
  const max = (name) => {
    const m = tools.model(name).maximum;
    return m === undefined ? undefined : String(m);
  };
  return `${header}
/** GetCount body wire name (snake_case and lowerCamelCase) -> [field key, the snake_case name messages use]. */
export const exolveGetCountFields = ${json(fields)} as const;

export type ExolveGetCountField = (typeof exolveGetCountFields)[keyof typeof exolveGetCountFields][0];

/** The largest \`Uint32\` the contract admits, as a decimal string (read as BigInt). */
export const exolveUint32Max = ${JSON.stringify(max("Uint32"))};
`;
}
