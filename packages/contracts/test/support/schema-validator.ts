import { loadOpenApiDocument, type Dialect } from "../../src/documents.js";
import { documentAjv, refsInto } from "../../src/validation.js";

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
  const ajv = documentAjv(document, "doc");

  function operation(method: string, path: string): Operation {
    const op = document.paths[path]?.[method.toLowerCase()] as Operation | undefined;
    if (!op) throw new Error(`${dialect}: no operation ${method} ${path}`);
    return op;
  }
  const compile = (schema: object) => ajv.compile(refsInto("doc", schema));
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
