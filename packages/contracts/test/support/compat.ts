/**
 * A small comparer of two OpenAPI 3.1 documents: every difference that can break a client of the
 * older one (`breaking`) and every compatible addition or relaxation (`compatible`).
 *
 * No maintained diff library fits here: the npm ones handle OpenAPI 3.0 (or call an online service,
 * or download a Go binary at install), and these documents are 3.1 (type arrays, `$ref` siblings).
 *
 * Directions matter. A request schema breaks clients when it accepts less (a narrowed type, range
 * or enum, a new required property, a removed property: the objects are sealed, so a client that
 * sends it gets a 400). A response schema breaks clients when it promises less or more than before
 * (a removed property, one no longer required, a value of a new type or enum value, a wider range).
 */
export type OpenApi = { paths?: Record<string, Record<string, unknown>>; components?: Record<string, Record<string, unknown>> };
export type Change = { breaking: boolean; operation: string; where: string; message: string };

type Schema = Record<string, unknown>;
type Direction = "request" | "response";

const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const lowerBounds = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
const upperBounds = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];

export function compareDocuments(before: OpenApi, after: OpenApi): Change[] {
  const changes: Change[] = [];
  const beforePaths = before.paths ?? {};
  const afterPaths = after.paths ?? {};
  for (const [path, itemBefore] of Object.entries(beforePaths)) {
    const itemAfter = afterPaths[path];
    for (const method of methods.filter((m) => itemBefore[m])) {
      const operation = `${method.toUpperCase()} ${path}`;
      const add = (breaking: boolean, where: string, message: string) => changes.push({ breaking, operation, where, message });
      if (!itemAfter) add(true, "path", "path removed");
      else if (!itemAfter[method]) add(true, "operation", "operation removed");
      else compareOperation(new Context(before, after, add), itemBefore[method] as Schema, itemAfter[method] as Schema);
    }
  }
  for (const [path, itemAfter] of Object.entries(afterPaths)) {
    for (const method of methods.filter((m) => itemAfter[m] && !beforePaths[path]?.[m])) {
      changes.push({ breaking: false, operation: `${method.toUpperCase()} ${path}`, where: "operation", message: "operation added" });
    }
  }
  return changes;
}

class Context {
  private readonly seen = new Set<string>();
  constructor(
    readonly before: OpenApi,
    readonly after: OpenApi,
    readonly add: (breaking: boolean, where: string, message: string) => void,
  ) {}
  /** Compares each pair of $refs once per direction (the schemas are recursive). */
  once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

/** Follows local `$ref`s (`#/components/<kind>/<name>`); a sibling `$ref` with other keywords is merged. */
function resolve(document: OpenApi, value: unknown): { schema: Schema; ref?: string } {
  let schema = (value ?? {}) as Schema;
  let ref: string | undefined;
  for (let depth = 0; typeof schema.$ref === "string" && depth < 32; depth++) {
    ref = schema.$ref as string;
    const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
    const { $ref: _, ...siblings } = schema;
    schema = { ...((document.components?.[kind!]?.[name!] ?? {}) as Schema), ...siblings };
  }
  return { schema, ref };
}

function successStatuses(operation: Schema): string[] {
  return Object.keys((operation.responses ?? {}) as Schema).filter((s) => /^2/.test(s)).sort();
}

function compareOperation(ctx: Context, before: Schema, after: Schema) {
  const was = successStatuses(before).join(", ");
  const is = successStatuses(after).join(", ");
  if (was !== is) ctx.add(true, "responses", `success status changed from ${was || "none"} to ${is || "none"}`);

  const parameters = (document: OpenApi, operation: Schema) =>
    new Map(((operation.parameters ?? []) as unknown[]).map((p) => resolve(document, p).schema).map((p) => [`${p.in} parameter ${p.name}`, p]));
  const paramsBefore = parameters(ctx.before, before);
  const paramsAfter = parameters(ctx.after, after);
  for (const [where, p] of paramsBefore) {
    const q = paramsAfter.get(where);
    if (!q) ctx.add(true, where, "parameter removed");
    else {
      if (q.required && !p.required) ctx.add(true, where, "parameter became required");
      compareSchema(ctx, p.schema, q.schema, "request", where);
    }
  }
  for (const [where, q] of paramsAfter) {
    if (!paramsBefore.has(where)) ctx.add(Boolean(q.required), where, q.required ? "new required parameter" : "optional parameter added");
  }

  const bodyBefore = before.requestBody ? resolve(ctx.before, before.requestBody).schema : undefined;
  const bodyAfter = after.requestBody ? resolve(ctx.after, after.requestBody).schema : undefined;
  if (bodyBefore && !bodyAfter) ctx.add(true, "request body", "request body removed");
  if (!bodyBefore && bodyAfter) ctx.add(Boolean(bodyAfter.required), "request body", bodyAfter.required ? "new required request body" : "optional request body added");
  if (bodyBefore && bodyAfter) {
    if (bodyAfter.required && !bodyBefore.required) ctx.add(true, "request body", "request body became required");
    compareContent(ctx, bodyBefore.content, bodyAfter.content, "request", "request body");
  }

  const responsesBefore = (before.responses ?? {}) as Schema;
  const responsesAfter = (after.responses ?? {}) as Schema;
  for (const status of Object.keys(responsesBefore).filter((s) => s in responsesAfter)) {
    const b = resolve(ctx.before, responsesBefore[status]).schema;
    const a = resolve(ctx.after, responsesAfter[status]).schema;
    compareContent(ctx, b.content, a.content, "response", `response ${status}`);
  }
}

function compareContent(ctx: Context, before: unknown, after: unknown, direction: Direction, where: string) {
  const b = (before ?? {}) as Record<string, Schema>;
  const a = (after ?? {}) as Record<string, Schema>;
  for (const media of Object.keys(b)) {
    if (!a[media]) ctx.add(true, where, `media type ${media} removed`);
    else compareSchema(ctx, b[media]!.schema, a[media]!.schema, direction, where);
  }
  for (const media of Object.keys(a).filter((m) => !b[m])) ctx.add(direction === "response", where, `media type ${media} added`);
}

function types(schema: Schema): Set<string> | undefined {
  if (schema.type === undefined) return undefined;
  const list = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  // An integer is a number: "integer" → "number" widens, the reverse narrows.
  return new Set(list.flatMap((t) => (t === "number" ? ["number", "integer"] : [t])));
}

function compareSchema(ctx: Context, rawBefore: unknown, rawAfter: unknown, direction: Direction, where: string) {
  const { schema: b, ref: refB } = resolve(ctx.before, rawBefore);
  const { schema: a, ref: refA } = resolve(ctx.after, rawAfter);
  if ((refB || refA) && !ctx.once(`${refB}|${refA}|${direction}`)) return;
  // Accepting less breaks a request; promising more (or less) breaks a response.
  const narrowed = (message: string) => ctx.add(direction === "request", where, message);
  const widened = (message: string) => ctx.add(direction === "response", where, message);

  const typesBefore = types(b);
  const typesAfter = types(a);
  if (typesBefore && typesAfter) {
    const removed = [...typesBefore].filter((t) => !typesAfter.has(t));
    const added = [...typesAfter].filter((t) => !typesBefore.has(t));
    if (removed.length) narrowed(`type narrowed: ${removed.join(", ")} no longer allowed`);
    if (added.length) widened(`type widened: ${added.join(", ")} now allowed`);
  } else if (!typesBefore && typesAfter) narrowed(`type constrained to ${[...typesAfter].join(", ")}`);

  const enumOf = (s: Schema) => (Array.isArray(s.enum) ? (s.enum as unknown[]) : "const" in s ? [s.const] : undefined);
  const enumBefore = enumOf(b);
  const enumAfter = enumOf(a);
  if (enumBefore && enumAfter) {
    const removed = enumBefore.filter((v) => !enumAfter.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    const added = enumAfter.filter((v) => !enumBefore.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    if (removed.length) ctx.add(true, where, `enum value removed: ${removed.map((v) => JSON.stringify(v)).join(", ")}`);
    if (added.length) widened(`enum value added: ${added.map((v) => JSON.stringify(v)).join(", ")}`);
  } else if (enumBefore && !enumAfter) widened("enum lifted");
  else if (!enumBefore && enumAfter) narrowed(`enum introduced: ${enumAfter.map((v) => JSON.stringify(v)).join(", ")}`);

  for (const key of lowerBounds) compareBound(b[key], a[key], (x, y) => x > y, key, narrowed, widened);
  for (const key of upperBounds) compareBound(b[key], a[key], (x, y) => x < y, key, narrowed, widened);
  for (const key of ["pattern", "format"]) {
    if (b[key] === a[key]) continue;
    if (a[key] === undefined) widened(`${key} ${JSON.stringify(b[key])} removed`);
    else narrowed(b[key] === undefined ? `${key} ${JSON.stringify(a[key])} added` : `${key} changed from ${JSON.stringify(b[key])} to ${JSON.stringify(a[key])}`);
  }

  compareProperties(ctx, b, a, direction, where);
  if (b.items || a.items) compareSchema(ctx, b.items, a.items, direction, `${where}[]`);
  for (const key of ["anyOf", "oneOf"]) compareVariants(ctx, b[key], a[key], direction, `${where} ${key}`, narrowed, widened);
  const allOfB = (b.allOf ?? []) as unknown[];
  const allOfA = (a.allOf ?? []) as unknown[];
  allOfB.forEach((s, i) => (i < allOfA.length ? compareSchema(ctx, s, allOfA[i], direction, where) : widened("allOf member removed")));
  allOfA.slice(allOfB.length).forEach(() => narrowed("allOf member added"));
}

function compareBound(before: unknown, after: unknown, tighter: (after: number, before: number) => boolean, key: string, narrowed: (m: string) => void, widened: (m: string) => void) {
  if (before === after) return;
  if (typeof after !== "number") widened(`${key} ${before} removed`);
  else if (typeof before !== "number") narrowed(`${key} ${after} added`);
  else if (tighter(after, before)) narrowed(`${key} tightened from ${before} to ${after}`);
  else widened(`${key} relaxed from ${before} to ${after}`);
}

function compareProperties(ctx: Context, b: Schema, a: Schema, direction: Direction, where: string) {
  const propsB = (b.properties ?? {}) as Record<string, unknown>;
  const propsA = (a.properties ?? {}) as Record<string, unknown>;
  const requiredB = new Set((b.required ?? []) as string[]);
  const requiredA = new Set((a.required ?? []) as string[]);
  const at = (name: string) => `${where} .${name}`;
  for (const name of Object.keys(propsB)) {
    if (!(name in propsA)) {
      // A removed response property is gone for readers; a removed request property is now an unknown field (400).
      ctx.add(true, at(name), "property removed");
      continue;
    }
    if (direction === "request" && requiredA.has(name) && !requiredB.has(name)) ctx.add(true, at(name), "property became required");
    if (direction === "response" && requiredB.has(name) && !requiredA.has(name)) ctx.add(true, at(name), "property no longer always present");
    if (direction === "request" && requiredB.has(name) && !requiredA.has(name)) ctx.add(false, at(name), "property became optional");
    compareSchema(ctx, propsB[name], propsA[name], direction, at(name));
  }
  for (const name of Object.keys(propsA).filter((n) => !(n in propsB))) {
    const required = requiredA.has(name);
    ctx.add(direction === "request" && required, at(name), required ? `required property added` : "optional property added");
  }
}

function compareVariants(ctx: Context, before: unknown, after: unknown, direction: Direction, where: string, narrowed: (m: string) => void, widened: (m: string) => void) {
  if (!before && !after) return;
  const variantsB = (before ?? []) as Schema[];
  const variantsA = (after ?? []) as Schema[];
  // Variants are matched by their $ref where they have one, else by position among the inline ones.
  const key = (list: Schema[]) => {
    let inline = 0;
    return list.map((v) => (typeof v.$ref === "string" ? v.$ref : `#${inline++}`));
  };
  const keysB = key(variantsB);
  const keysA = key(variantsA);
  keysB.forEach((k, i) => {
    const j = keysA.indexOf(k);
    if (j < 0) narrowed(`variant ${k} removed`);
    else compareSchema(ctx, variantsB[i], variantsA[j], direction, where);
  });
  keysA.filter((k) => !keysB.includes(k)).forEach((k) => widened(`variant ${k} added`));
}
