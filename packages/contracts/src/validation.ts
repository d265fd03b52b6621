import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { OpenApiDocument } from "./documents.js";

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/**
 * Ajv 2020 (the JSON Schema draft of OpenAPI 3.1, the engine express-openapi-validator uses) set up
 * for a dialect's emitted document: the standard formats plus OpenAPI's number formats, and the
 * document's components registered under `id`, so `id#/components/...` references resolve
 * (see `refsInto`). Needs the optional peer dependencies `ajv` and `ajv-formats`.
 */
export function documentAjv(document: OpenApiDocument, id: string): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("float", { type: "number", validate: () => true });
  ajv.addSchema({ $id: id, components: document.components } as object);
  return ajv;
}

/** A schema of the document whose `#/components/...` references point into the document registered as `id`. */
export function refsInto(id: string, schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/', `"$ref":"${id}#/components/`)) as object;
}
