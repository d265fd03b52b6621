import { loadOpenApiDocument } from "@commlog/contracts/documents";
import { dialects, type Dialect } from "./dialects.js";

type Schema = Record<string, any>;
const documents = new Map<Dialect, Schema>(dialects.map((d) => [d, loadOpenApiDocument(d) as Schema]));
const componentSchemas = () => [...documents.values()].flatMap((document) => Object.entries((document.components?.schemas ?? {}) as Record<string, Schema>));

/** The scalar name of a component (`Commlog.Common.Phone` -> `Phone`). */
const scalarName = (component: string) => component.split(".").pop()!;

/**
 * Words for what a value must look like, so that no error quotes a regular expression or a JSON
 * Schema keyword: each scalar's `x-commlog-words` in the TypeSpec, keyed by its name, never by the
 * regex (the validator's message names the pattern, the documents say which scalar carries it).
 * A test checks that every pattern of every document has its scalar's words.
 */
export const scalarWords: Record<string, string> = Object.fromEntries(
  componentSchemas().flatMap(([name, schema]) => (typeof schema["x-commlog-words"] === "string" ? [[scalarName(name), schema["x-commlog-words"] as string]] : [])),
);

/** Words for the standard formats the contract uses. */
export const formatWords: Record<string, string> = {
  "date-time": "a timestamp in RFC 3339 with a time zone (e.g. 2023-01-20T11:35:00Z), years 0001 to 9999 in UTC",
  uuid: scalarWords.Uuid!,
  date: "a date as YYYY-MM-DD",
};

/** Every `pattern` of the documents, with the component schema that declares it. */
export function patternOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [name, schema] of componentSchemas()) {
    const walk = (value: unknown) => {
      if (!value || typeof value !== "object") return;
      const s = value as Schema;
      if (typeof s.pattern === "string" && !owners.has(s.pattern)) owners.set(s.pattern, scalarName(name));
      for (const child of Object.values(s)) walk(child);
    };
    walk(schema);
  }
  return owners;
}
const owners = patternOwners();

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
const typeWords: Record<string, string> = { boolean: "true or false", null: "null", string: "a string", integer: "an integer", number: "a number", object: "an object", array: "an array" };
const orList = (items: string[]) => (items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")}${items.length > 2 ? "," : ""} or ${items.at(-1)}`);

/** One ajv message in plain words ("must match pattern "^\d{4}…"" -> "must be a month as YYYY-MM …"). */
export function plainMessage(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^must match pattern "(.*)"$/s.exec(message))) {
    const words = scalarWords[owners.get(m[1]!) ?? ""];
    return words ? `must be ${words}` : "is not in the expected format";
  }
  if ((m = /^must match format "(.*)"$/.exec(message))) return `must be ${formatWords[m[1]!] ?? `in the ${m[1]} format`}`;
  if ((m = /^must be equal to one of the allowed values: (.*)$/.exec(message))) return `must be one of ${m[1]}`;
  if ((m = /^must be (>=|<=|>|<) (.*)$/.exec(message))) {
    return `must be ${{ ">=": "at least", "<=": "at most", ">": "greater than", "<": "less than" }[m[1]!]} ${m[2]}`;
  }
  if ((m = /^must be ([a-z]+(?:,[a-z]+)*)$/.exec(message)) && m[1]!.split(",").every((t) => t in typeWords)) {
    return `must be ${orList(m[1]!.split(",").map((t) => typeWords[t]!))}`;
  }
  if ((m = /^must NOT have (more|fewer) than (\d+) (characters|items|properties)$/.exec(message))) {
    if (m[1] === "fewer" && m[2] === "1") return "must not be empty";
    return `must have at ${m[1] === "more" ? "most" : "least"} ${m[2]} ${m[2] === "1" ? m[3]!.replace(/s$/, "").replace(/ie$/, "y") : m[3]}`;
  }
  if (/^must have required property /.test(message)) return "is required";
  if (/^must NOT have duplicate items/.test(message)) return "must not repeat a value";
  if ((m = /^must be multiple of (.*)$/.exec(message))) return `must be a multiple of ${m[1]}`;
  if (/^property name must be valid$/.test(message)) return "has a sub-field name that is not an identifier";
  if (/^must be equal to constant$/.test(message)) return "is not the value this field takes";
  return message;
}

/** Follows `$ref`s to the component; `name` is the last component's scalar name. */
function resolve(document: Schema, value: unknown): { schema: Schema; name?: string } {
  let schema = (value ?? {}) as Schema;
  let name: string | undefined;
  for (let depth = 0; typeof schema.$ref === "string" && depth < 32; depth++) {
    const component = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    if (!component) break;
    name = scalarName(component);
    schema = (document.components?.schemas?.[component] ?? {}) as Schema;
  }
  return { schema, ...(name ? { name } : {}) };
}

/** What one non-union schema accepts, in words. */
function oneForm(schema: Schema, name: string | undefined): string {
  if (name && scalarWords[name]) return scalarWords[name]!;
  if (typeof schema.format === "string" && formatWords[schema.format]) return formatWords[schema.format]!;
  if (schema.type === "integer" || schema.type === "number") {
    const kind = schema.type === "integer" ? "an integer" : "a number";
    if (typeof schema.minimum === "number" && typeof schema.maximum === "number") return `${kind} from ${schema.minimum} to ${schema.maximum}`;
    if (typeof schema.minimum === "number") return `${kind} of at least ${schema.minimum}`;
    return kind;
  }
  if (schema.type === "string" && typeof schema.maxLength === "number") return `text of at most ${schema.maxLength} characters`;
  if (schema.type === "string") return "text";
  if (typeof schema.type === "string") return typeWords[schema.type] ?? article(schema.type);
  return "a value";
}

/**
 * What a union schema accepts, in words: its plain forms, its enum names and (the Status200 query
 * language) its operators by `_type`. Typed wrappers (`{"_type": "DateTime", …}`) are the plain
 * value again and not listed.
 */
function unionWords(document: Schema, union: Schema): string {
  const forms: string[] = [];
  const names: string[] = [];
  const operators: string[] = [];
  const add = (form: string) => forms.includes(form) || forms.push(form);
  const visit = (raw: unknown, depth: number) => {
    const { schema, name } = resolve(document, raw);
    if (depth > 8) return;
    const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (variants) return variants.forEach((v) => visit(v, depth + 1));
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && !schema.type) return visit(schema.allOf[0], depth + 1);
    const tag = schema.properties?._type?.enum;
    if (schema.type === "object" && Array.isArray(tag) && tag.length === 1) {
      if (!name?.endsWith("Wrapper")) operators.push(String(tag[0]));
      return;
    }
    if (Array.isArray(schema.enum)) {
      if (schema.enum.length === 1 && schema.enum[0] === "") return add('"" (unset)');
      return names.push(...schema.enum.map(String).filter((n) => !names.includes(n)));
    }
    if (schema.type === "array") return add("a list of such values");
    add(oneForm(schema, name));
  };
  visit(union, 0);
  const parts = [...(names.length ? [`one of ${names.join(", ")}`] : []), ...forms, ...(operators.length ? [`an operator: ${operators.join(", ")}`] : [])];
  // null reads best last.
  const sorted = [...parts.filter((p) => p !== "null"), ...parts.filter((p) => p === "null")];
  return orList(sorted);
}

/** The operation (by operationId) of a dialect's document. */
function operationOf(document: Schema, operationId: string): Schema | undefined {
  for (const item of Object.values((document.paths ?? {}) as Record<string, Schema>)) {
    for (const operation of Object.values(item)) if ((operation as Schema)?.operationId === operationId) return operation as Schema;
  }
  return undefined;
}

/** The schema at a validator path (`/body/query/createdAt`, `/query/limit`, `/params/id`). */
function schemaAt(document: Schema, operation: Schema, path: string): Schema | undefined {
  const [where, ...segments] = path.replace(/^\/?(request\/)?/, "").split("/").filter(Boolean);
  let schema: unknown;
  if (where === "body") {
    const body = resolve(document, operation.requestBody).schema;
    schema = body.content?.["application/json"]?.schema;
  } else if (where === "query" || where === "params" || where === "path") {
    const name = segments.shift();
    const parameter = ((operation.parameters ?? []) as unknown[]).map((p) => resolve(document, p).schema).find((p) => p.name === name);
    schema = parameter?.schema;
  }
  for (const segment of segments) {
    schema = childOf(document, schema, segment, 0);
    if (!schema) return undefined;
  }
  // A property is often `{allOf: [{$ref}], description}`: the schema is the referenced one.
  let found = schema ? resolve(document, schema).schema : undefined;
  for (let depth = 0; found && Array.isArray(found.allOf) && found.allOf.length === 1 && !found.anyOf && depth < 8; depth++) {
    found = resolve(document, found.allOf[0]).schema;
  }
  return found;
}

function childOf(document: Schema, raw: unknown, segment: string, depth: number): unknown {
  const { schema } = resolve(document, raw);
  if (depth > 8) return undefined;
  if (schema.properties?.[segment]) return schema.properties[segment];
  if (/^\d+$/.test(segment) && schema.items) return schema.items;
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    for (const member of (schema[key] ?? []) as unknown[]) {
      const found = childOf(document, member, segment, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** What the field at a validator path accepts, when it is a union; undefined when unknown. */
export function acceptedAt(dialect: Dialect | undefined, operationId: string | undefined, path: string): string | undefined {
  const document = dialect && documents.get(dialect);
  const operation = document && operationId ? operationOf(document, operationId) : undefined;
  const schema = operation && schemaAt(document!, operation, path);
  if (!schema || !(schema.anyOf || schema.oneOf)) return undefined;
  return unionWords(document!, schema);
}
