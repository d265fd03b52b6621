import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { loadOpenApiDocument, type Dialect, type OpenApiDocument } from "@commlog/contracts/documents";
import { documentAjv, refsInto } from "@commlog/contracts/validation";
import type { HttpResponse } from "./http.js";


export interface Parameter {
  name: string;
  in: "query" | "path" | "header";
  required?: boolean;
  schema: object;
}

/** One operation of a dialect's OpenAPI document. */
export interface Operation {
  dialect: Dialect;
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  requestSchema?: object;
  responses: Record<string, { schema?: object }>;
  access: { scheme: string; anyOf?: string[]; notViaApi?: boolean; accessLevels?: string[] };
}

/**
 * The emitted OpenAPI document of one dialect, compiled with the contracts' Ajv 2020 set-up
 * (`@commlog/contracts/validation`): operations by id and by route, and
 * schema checks of request and response bodies.
 */
export class DialectContract {
  readonly document: OpenApiDocument;
  readonly operations: Operation[];
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<object, ValidateFunction>();

  constructor(readonly dialect: Dialect) {
    this.document = loadOpenApiDocument(dialect);
    this.ajv = documentAjv(this.document, `${dialect}-doc`);
    this.operations = [];
    const parameters = (this.document.components?.parameters ?? {}) as Record<string, Parameter>;
    for (const [path, item] of Object.entries(this.document.paths)) {
      for (const [method, raw] of Object.entries(item)) {
        const op = raw as Record<string, any>;
        if (!op?.operationId) continue;
        const params = ((op.parameters ?? []) as Array<Parameter | { $ref: string }>).map((p) =>
          "$ref" in p ? parameters[p.$ref.split("/").pop()!]! : p,
        );
        const responses: Operation["responses"] = {};
        for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, any>)) {
          responses[status] = { schema: r?.content?.["application/json"]?.schema };
        }
        this.operations.push({
          dialect,
          operationId: op.operationId,
          method: method.toUpperCase(),
          path,
          parameters: params,
          requestSchema: op.requestBody?.content?.["application/json"]?.schema,
          responses,
          access: op["x-commlog-access"] ?? { scheme: "none" },
        });
      }
    }
  }

  operation(operationId: string): Operation {
    const op = this.operations.find((o) => o.operationId === operationId);
    if (!op) throw new Error(`${this.dialect}: no operation ${operationId}`);
    return op;
  }

  /** The operation a concrete method and path (without query string) belongs to, if any. */
  match(method: string, path: string): Operation | undefined {
    const bare = path.split("?")[0]!;
    return this.operations.find((o) => o.method === method.toUpperCase() && templateRegex(o.path).test(bare));
  }

  /** A named schema of the document, e.g. `ErrorBody`. */
  schema(name: string): object {
    return { $ref: `#/components/schemas/${name}` };
  }

  /** Resolves a local `$ref` (one level) to the schema object it names. */
  resolve(schema: any): any {
    if (schema && typeof schema === "object" && typeof schema.$ref === "string") {
      const parts = (schema.$ref as string).replace(/^#\//, "").split("/");
      let node: any = this.document;
      for (const p of parts) node = node?.[p];
      return this.resolve(node);
    }
    return schema;
  }

  check(schema: object, value: unknown): { valid: boolean; errors: ErrorObject[] } {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(refsInto(`${this.dialect}-doc`, schema));
      this.compiled.set(schema, validate);
    }
    const valid = validate(value) as boolean;
    return { valid, errors: validate.errors ?? [] };
  }

  /** The error body schema of the dialect (for answers outside any documented operation). */
  errorSchema(): object | undefined {
    const names: Record<Dialect, string> = { status200: "ErrorBody", telecomx: "TelecomXError", exolve: "ExolveError", internal: "InternalApiError" };
    return this.document.components?.schemas?.[names[this.dialect]] ? this.schema(names[this.dialect]) : undefined;
  }

  /**
   * Every response, whatever the scenario: its status must be documented for the operation and
   * its body must match the documented schema. Returns the problems found (empty when conformant).
   */
  validateResponse(method: string, path: string, res: HttpResponse): string[] {
    if (method.toUpperCase() === "HEAD") return res.status >= 500 ? [`HEAD answered ${res.status}`] : [];
    const op = this.match(method, path);
    if (!op) {
      // Outside any documented route (e.g. an unknown path): only the dialect's error body applies.
      if (res.status < 400) return [`${method} ${path} is no documented operation but answered ${res.status}`];
      const schema = this.errorSchema();
      return schema ? this.bodyProblems(schema, res) : [];
    }
    const documented = op.responses[String(res.status)];
    if (!documented) {
      return [`status ${res.status} is not documented for ${op.operationId} (documented: ${Object.keys(op.responses).join(", ")})`];
    }
    return documented.schema ? this.bodyProblems(documented.schema, res) : [];
  }

  private bodyProblems(schema: object, res: HttpResponse): string[] {
    if (!res.isJson) return [`response ${res.status} is not JSON (content-type ${String(res.headers["content-type"])}): ${res.text.slice(0, 120)}`];
    const { valid, errors } = this.check(schema, res.json);
    if (valid) return [];
    return [`response ${res.status} does not match its schema: ${formatErrors(errors)}`];
  }
}

export function formatErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 4)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}${e.params && "unevaluatedProperty" in e.params ? ` (${String(e.params.unevaluatedProperty)})` : ""}`)
    .join("; ");
}

const regexCache = new Map<string, RegExp>();
function templateRegex(template: string): RegExp {
  let re = regexCache.get(template);
  if (!re) {
    re = new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "$");
    regexCache.set(template, re);
  }
  return re;
}

/** One contract per dialect, compiled once. */
export function loadContracts(): Record<Dialect, DialectContract> {
  return {
    status200: new DialectContract("status200"),
    telecomx: new DialectContract("telecomx"),
    exolve: new DialectContract("exolve"),
    internal: new DialectContract("internal"),
  };
}
