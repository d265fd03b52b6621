// The field catalog is read off the documents, and the rules linking their schemas are checked:
// a document breaking one makes `npm run generate` fail instead of emitting a wrong catalog.
import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import { loadOpenApiDocument } from "../src/documents.js";
import { status200Catalog, status200FilterForms } from "../src/index.js";

type Module = (header: string, document: unknown) => string;
// A plain script (not part of the package's TypeScript): loaded by URL.
const script = new URL("../scripts/catalog.mjs", import.meta.url).href;
const { status200CatalogModule } = (await import(script)) as { status200CatalogModule: Module };

/** The Status200 document with one change applied to its schemas. */
function doctored(change: (schemas: Record<string, any>) => void): unknown {
  const document = loadOpenApiDocument("status200") as any;
  change(document.components.schemas);
  return document;
}

const fails = (change: (schemas: Record<string, any>) => void, message: RegExp) =>
  assert.throws(() => status200CatalogModule("", doctored(change)), message);

describe("the generated field catalog", () => {
  it("relation aliases name their id field (alert -> alertId), with its filter and nullability", () => {
    const sms = status200Catalog.SmsLog.fields;
    assert.deepEqual(
      sms.filter((f) => "relation" in f).map((f) => [("relation" in f && f.relation) || "", f.name]),
      sms.filter((f) => "relation" in f).map((f) => [f.name.replace(/Id$/, ""), f.name]),
    );
    assert.equal(sms.find((f) => f.name === "alertId")?.nullable, true);
  });

  it("the item status states its non-blank pattern and the write bounds the create schema states", () => {
    const status = status200Catalog.IncomingCallLogItem.fields.find((f) => f.name === "status");
    assert.deepEqual(status, { name: "status", kind: "text", nullable: false, selectable: true, filterable: true, sortable: true, writable: "create+update", required: true, minLength: 1, maxLength: 100, pattern: "\\S" });
  });

  it("null operators are those only the Nullable filters add", () => {
    assert.deepEqual(status200FilterForms.text.nullOperators, ["IsNull", "NotNull", "EqualToOrNull"]);
    assert.equal("nullOperators" in status200FilterForms.boolean, false);
  });

  it("an alias without its id field fails generation", () => {
    fails((s) => {
      s.SmsLog.properties.alertKey = s.SmsLog.properties.alertId;
      delete s.SmsLog.properties.alertId;
    }, /SmsLog\.alert admits RelatedObject but SmsLog has no alertId/);
  });

  it("an alias whose filter differs from its id field's fails generation", () => {
    fails((s) => {
      s.SmsLogQuery.properties.alert = { $ref: "#/components/schemas/UuidFilter" };
    }, /SmsLogQuery\.alert must take the filter of alertId/);
  });

  it("a filter of another kind than the property fails generation", () => {
    fails((s) => {
      s.SmsLogQuery.properties.smsCostInUSDCents = { $ref: "#/components/schemas/TextFilter" };
    }, /SmsLogQuery\.smsCostInUSDCents is a TextFilter, but SmsLog\.smsCostInUSDCents is integer/);
  });

  it("an alias as a sort key, a write of an alias or a stray property fails generation", () => {
    fails((s) => {
      s.SmsLogSort.properties.alert = { $ref: "#/components/schemas/SortOrder" };
    }, /relation aliases are no sort keys/);
    fails((s) => {
      s.IncomingCallLogItemCreateData.properties.user = { $ref: "#/components/schemas/UuidValue" };
    }, /relation alias user cannot be written/);
    fails((s) => {
      s.SmsLogSelect.properties.colour = { type: "boolean" };
    }, /SmsLogSelect\.colour is no property of SmsLog/);
  });

  it("create and update stating different bounds fails generation", () => {
    fails((s) => {
      s.IncomingCallLogItemUpdateData.properties.status = { type: "string", maxLength: 99 };
    }, /create and update state different bounds/);
  });
});
