import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "@jest/globals";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { dialects, loadOpenApiDocument } from "../src/documents.js";
import { permissionTable } from "../src/index.js";

const methods = ["get", "put", "post", "delete", "patch", "head", "options"];

function routesOf(dialect: (typeof dialects)[number]) {
  const document = loadOpenApiDocument(dialect);
  return Object.entries(document.paths).flatMap(([path, item]) =>
    methods.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe("the emitted OpenAPI documents", () => {
  for (const dialect of dialects) {
    it(`${dialect} is a valid OpenAPI 3.1 document`, async () => {
      const document = loadOpenApiDocument(dialect);
      assert.equal(document.openapi, "3.1.0");
      const result = await new Validator().validate(document as Parameters<Validator["validate"]>[0]);
      assert.deepEqual(result.errors ?? [], []);
      assert.equal(result.valid, true);
    });
  }

  for (const dialect of dialects) {
    it(`${dialect} documents every schema, property, operation and parameter`, () => {
      const document = loadOpenApiDocument(dialect);
      const undocumented: string[] = [];
      for (const [name, schema] of Object.entries((document.components?.schemas ?? {}) as Record<string, any>)) {
        if (!schema.description) undocumented.push(name);
        for (const [property, value] of Object.entries((schema.properties ?? {}) as Record<string, any>)) {
          if (!value.description) undocumented.push(`${name}.${property}`);
        }
      }
      for (const [path, item] of Object.entries(document.paths)) {
        for (const method of methods) {
          const operation = item[method] as any;
          if (!operation) continue;
          if (!operation.description) undocumented.push(`${method.toUpperCase()} ${path}`);
          for (const parameter of operation.parameters ?? []) {
            if (!parameter.$ref && !parameter.description) undocumented.push(`${method.toUpperCase()} ${path} ${parameter.name}`);
          }
        }
      }
      assert.deepEqual(undocumented, []);
    });
  }

  it("regenerating from the specs changes nothing (drift check; warnings are errors)", () => {
    const script = fileURLToPath(new URL("../scripts/generate.mjs", import.meta.url));
    const result = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});

describe("routes (SPEC §4-§7)", () => {
  const crud = (resource: string, writable: boolean) => [
    `POST /api/${resource}/get-list`,
    `GET /api/${resource}/get-list`,
    `POST /api/${resource}/{id}/get-item`,
    `GET /api/${resource}/{id}/get-item`,
    `POST /api/${resource}/count`,
    // every write route and alternative method exists: real for writable resources, 405 otherwise
    `POST /api/${resource}`,
    `PUT /api/${resource}/{id}`,
    `POST /api/${resource}/{id}/update-item`,
    `GET /api/${resource}/{id}/update-item`,
    `DELETE /api/${resource}/{id}`,
    `POST /api/${resource}/{id}/delete-item`,
    `GET /api/${resource}/{id}/delete-item`,
  ].map((route) => [route, writable] as const);

  it("Status200 has every route and alternative method of seeds 000 and 001, and nothing else", () => {
    const expected = [...crud("sms-log", false), ...crud("incoming-call-log", false), ...crud("incoming-call-log-item", true)];
    assert.deepEqual(routesOf("status200").sort(), expected.map(([route]) => route).sort());
  });

  it("TelecomX, Exolve and the internal API have their routes", () => {
    assert.deepEqual(routesOf("telecomx"), ["GET /sms"]);
    assert.deepEqual(routesOf("exolve"), ["POST /messaging/v1/GetCount"]);
    assert.deepEqual(routesOf("internal").sort(), [
      "DELETE /internal/v1/api-keys/{id}",
      "DELETE /internal/v1/projects/{id}",
      "DELETE /internal/v1/resellers/{id}",
      "GET /internal/v1/api-keys",
      "POST /internal/v1/api-keys",
      "POST /internal/v1/incoming-call-logs",
      "POST /internal/v1/incoming-call-logs/{id}/update",
      "POST /internal/v1/projects",
      "POST /internal/v1/resellers",
      "POST /internal/v1/sms",
      "POST /internal/v1/sms/status",
    ]);
  });
});

describe("the permission table", () => {
  const rules = Object.entries(permissionTable).flatMap(([dialect, operations]) =>
    Object.values(operations).map((rule) => ({ dialect, ...rule })),
  );

  it("has one entry per operation of every document", () => {
    const total = dialects.reduce((sum, dialect) => sum + routesOf(dialect).length, 0);
    assert.equal(rules.length, total);
  });

  it("matches SPEC §2 for Status200", () => {
    const byRoute = (method: string, path: string) => rules.find((rule) => rule.method === method && rule.path === path)?.access;
    const readers = (extra: string) => ["ProjectOwner", "ProjectAdmin", "ProjectMember", extra, "ReadAllProjectResources"];
    assert.deepEqual(byRoute("POST", "/api/sms-log/get-list"), { scheme: "ApiKey", anyOf: readers("ReadSmsLog") });
    assert.deepEqual(byRoute("POST", "/api/incoming-call-log-item/count"), { scheme: "ApiKey", anyOf: readers("ReadIncomingCallLogItem") });
    assert.deepEqual(byRoute("GET", "/api/incoming-call-log/{id}/get-item"), { scheme: "ApiKey", anyOf: readers("ReadIncomingCallLog") });
    for (const path of ["/api/incoming-call-log-item", "/api/incoming-call-log-item/{id}"]) {
      for (const method of ["POST", "PUT", "DELETE"]) {
        const access = byRoute(method, path);
        if (access) assert.deepEqual(access, { scheme: "ApiKey", anyOf: ["ProjectOwner", "ProjectAdmin"] });
      }
    }
    for (const resource of ["sms-log", "incoming-call-log"]) {
      assert.deepEqual(byRoute("POST", `/api/${resource}`), { scheme: "ApiKey", notViaApi: true });
      assert.deepEqual(byRoute("GET", `/api/${resource}/{id}/delete-item`), { scheme: "ApiKey", notViaApi: true });
    }
  });

  it("gives TelecomX every access level, Exolve the SMS Log readers and the internal API the admin token", () => {
    assert.deepEqual(permissionTable.telecomx.Sms_list.access, { scheme: "Bearer", accessLevels: ["VIEWER", "MANAGER", "OWNER", "RESELLER", "ADMIN"] });
    assert.deepEqual(permissionTable.exolve.Messages_getCount.access.anyOf, permissionTable.status200.SmsLogs_list.access.anyOf);
    for (const rule of rules.filter((rule) => rule.dialect === "internal")) assert.deepEqual(rule.access, { scheme: "AdminToken" });
  });
});
