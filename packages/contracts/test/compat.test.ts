// The breaking-change gate: the generated documents against the committed baseline (the documents
// of the current published version, baseline/), and the comparer itself on planted changes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { dialects, loadOpenApiDocument } from "../src/documents.js";
import { compareDocuments, type Change, type OpenApi } from "./support/compat.js";

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
const major = (version: string) => Number(version.split(".")[0]);
const packageVersion = (JSON.parse(read("package.json")) as { version: string }).version;
const baselineVersion = read("baseline/VERSION").trim();
const baseline = (dialect: string) => JSON.parse(read(`baseline/${dialect}.openapi.json`)) as OpenApi;
const show = (changes: Change[]) => changes.map((c) => `  ${c.operation} — ${c.where}: ${c.message}`).join("\n");

/** The CHANGELOG's text above the baseline version's own section: "Unreleased" and any newer version. */
function pendingChangelog(): string {
  const changelog = read("CHANGELOG.md");
  const released = changelog.search(new RegExp(`^## \\[?${baselineVersion.replaceAll(".", "\\.")}\\b`, "m"));
  return released < 0 ? changelog : changelog.slice(0, released);
}

describe("the breaking-change gate", () => {
  it("keeps the baseline at the package's major version (a major bump renews the baseline)", () => {
    expect(`baseline ${major(baselineVersion)}.x`).toBe(`baseline ${major(packageVersion)}.x`);
  });

  describe.each(dialects)("%s", (dialect) => {
    const changes = compareDocuments(baseline(dialect), loadOpenApiDocument(dialect));

    it("has no breaking change against the baseline", () => {
      const breaking = changes.filter((c) => c.breaking);
      assert.equal(
        breaking.length,
        0,
        `${breaking.length} breaking change(s) of the ${dialect} contract against baseline ${baselineVersion}:\n${show(breaking)}\n` +
          "Make them compatible, or bump the major version of @commlog/contracts and renew baseline/ (README: Versions).",
      );
    });

    it("lists every compatible change's operation in the CHANGELOG", () => {
      const pending = pendingChangelog();
      const unlisted = changes.filter((c) => !c.breaking && !pending.includes(`\`${c.operation}\``));
      assert.equal(unlisted.length, 0, `name these operations (as \`METHOD /path\`) under "## Unreleased" in packages/contracts/CHANGELOG.md:\n${show(unlisted)}`);
    });
  });
});

// The comparer on small documents: each breaking change of the issue, and the compatible ones.
// Plain JSON that the planted edits reach deep into.
type Doc = any;
const base = (): Doc => ({
  paths: {
    "/items": {
      post: {
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Create" } } } },
        responses: { "201": { content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } } },
      },
      get: {
        parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } }],
        responses: { "200": { content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Item" } } } } } },
      },
    },
    "/items/{id}": { delete: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "204": {} } } },
  },
  components: {
    schemas: {
      Create: { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 50 }, status: { $ref: "#/components/schemas/Status" } } },
      Item: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" }, status: { $ref: "#/components/schemas/Status" }, child: { $ref: "#/components/schemas/Item" } } },
      Status: { type: "string", enum: ["Open", "Closed"] },
    },
  },
});

function planted(change: (doc: Doc) => void): Change[] {
  const after = base();
  change(after);
  return compareDocuments(base(), after);
}
const messages = (changes: Change[], breaking: boolean) => changes.filter((c) => c.breaking === breaking).map((c) => `${c.operation} ${c.where}: ${c.message}`);

describe("the comparer", () => {
  it("finds nothing between equal documents (recursive schemas included)", () => {
    expect(compareDocuments(base(), base())).toEqual([]);
  });

  it.each<[string, (doc: Doc) => void, string]>([
    ["a removed operation", (d) => delete d.paths["/items"].get, "GET /items operation: operation removed"],
    ["a removed path", (d) => delete d.paths["/items/{id}"], "DELETE /items/{id} path: path removed"],
    ["a removed response property", (d) => delete d.components.schemas.Item.properties.name, "POST /items response 201 .name: property removed"],
    ["a removed enum value", (d) => (d.components.schemas.Status.enum = ["Open"]), 'POST /items request body .status: enum value removed: "Closed"'],
    ["a narrowed type", (d) => (d.components.schemas.Create.properties.name = { type: "integer" }), "POST /items request body .name: type narrowed: string no longer allowed"],
    ["a narrowed range", (d) => (d.paths["/items"].get.parameters[0].schema.maximum = 50), "GET /items query parameter limit: maximum tightened from 100 to 50"],
    ["a new required request property", (d) => { d.components.schemas.Create.required.push("status"); }, "POST /items request body .status: property became required"],
    ["a new required request property (added)", (d) => { d.components.schemas.Create.properties.owner = { type: "string" }; d.components.schemas.Create.required.push("owner"); }, "POST /items request body .owner: required property added"],
    ["a changed success status", (d) => { d.paths["/items"].post.responses = { "200": d.paths["/items"].post.responses["201"] }; }, "POST /items responses: success status changed from 201 to 200"],
    ["a new enum value in a response", (d) => d.components.schemas.Status.enum.push("Archived"), 'GET /items response 200[] .status: enum value added: "Archived"'],
    ["a response property no longer required", (d) => (d.components.schemas.Item.required = ["id"]), "POST /items response 201 .name: property no longer always present"],
    ["a new required parameter", (d) => d.paths["/items"].get.parameters.push({ name: "q", in: "query", required: true, schema: { type: "string" } }), "GET /items query parameter q: new required parameter"],
  ])("flags %s as breaking", (_, change, expected) => {
    expect(messages(planted(change), true)).toContain(expected);
  });

  it.each<[string, (doc: Doc) => void, string]>([
    ["an added optional property", (d) => { d.components.schemas.Create.properties.note = { type: "string" }; d.components.schemas.Item.properties.note = { type: "string" }; }, "POST /items request body .note: optional property added"],
    ["an added operation", (d) => (d.paths["/items/{id}"].get = { responses: { "200": {} } }), "GET /items/{id} operation: operation added"],
    ["a relaxed request range", (d) => (d.components.schemas.Create.properties.name.maxLength = 100), "POST /items request body .name: maxLength relaxed from 50 to 100"],
    ["an optional parameter", (d) => d.paths["/items"].get.parameters.push({ name: "q", in: "query", schema: { type: "string" } }), "GET /items query parameter q: optional parameter added"],
  ])("accepts %s as compatible", (_, change, expected) => {
    const changes = planted(change);
    expect(messages(changes, true)).toEqual([]);
    expect(messages(changes, false)).toContain(expected);
  });

  it("fails on a breaking change planted in a real document, and passes an added optional property", () => {
    const document: Doc = loadOpenApiDocument("status200");
    const removed = structuredClone(document);
    delete removed.components.schemas.SmsLog.properties.toNumber;
    expect(messages(compareDocuments(document, removed), true)).toContain("POST /api/sms-log/get-list response 200 .data[] .toNumber: property removed");

    const added = structuredClone(document);
    added.components.schemas.SmsLog.properties.note = { type: "string" };
    const changes = compareDocuments(document, added);
    expect(messages(changes, true)).toEqual([]);
    expect(messages(changes, false)).toContain("POST /api/sms-log/get-list response 200 .data[] .note: optional property added");
  });

  it("sees no contract change in documentation: summaries, descriptions, examples, tags, a new x-commlog-* annotation, the version", () => {
    const document: Doc = loadOpenApiDocument("status200");
    const documented = structuredClone(document);
    documented.info.version = "9.9.9";
    documented.tags = [{ name: "Renamed" }];
    for (const item of Object.values<any>(documented.paths)) {
      for (const operation of Object.values<any>(item)) {
        operation.summary = "another summary";
        operation.description = "another description";
        operation.tags = ["Renamed"];
        operation["x-commlog-note"] = true;
        for (const response of Object.values<any>(operation.responses)) {
          const content = response.content?.["application/json"];
          if (content) content.examples = { other: { value: { any: "thing" } } };
        }
        const body = operation.requestBody?.content?.["application/json"];
        if (body) body.examples = { other: { value: {} } };
      }
    }
    documented.components.schemas.SmsLog.description = "another description";
    expect(compareDocuments(document, documented)).toEqual([]);
  });
});
