import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { loadOpenApiDocument, type Dialect } from "../../src/documents.js";

type Operation = {
  operationId: string;
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
};

/**
 * Validates request and response bodies against a dialect's emitted OpenAPI 3.1 document with
 * Ajv 2020 (the engine express-openapi-validator uses for 3.1), resolving `$ref`s inside the
 * document itself.
 */
export function schemaValidator(dialect: Dialect) {
  const document = loadOpenApiDocument(dialect);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("float", { type: "number", validate: () => true });
  ajv.addSchema({ $id: "doc", components: document.components } as object);

  function operation(method: string, path: string): Operation {
    const op = document.paths[path]?.[method.toLowerCase()] as Operation | undefined;
    if (!op) throw new Error(`${dialect}: no operation ${method} ${path}`);
    return op;
  }
  const compile = (schema: object) => ajv.compile(rewriteRefs(schema));
  function check(schema: object, value: unknown) {
    const validate = compile(schema);
    const valid = validate(value) as boolean;
    return { valid, errors: validate.errors ?? [] };
  }
  return {
    document,
    request(method: string, path: string, body: unknown) {
      const schema = operation(method, path).requestBody?.content["application/json"]?.schema;
      if (!schema) throw new Error(`${method} ${path} takes no JSON body`);
      return check(schema, body);
    },
    response(method: string, path: string, status: number, body: unknown) {
      const schema = operation(method, path).responses[String(status)]?.content?.["application/json"]?.schema;
      if (!schema) throw new Error(`${method} ${path} documents no JSON ${status} response`);
      return check(schema, body);
    },
  };
}

/** `#/components/...` refs point into the document registered as `doc`. */
function rewriteRefs(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/', '"$ref":"doc#/components/'));
}
