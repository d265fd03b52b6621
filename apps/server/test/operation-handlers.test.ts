// The contract and the server's handlers, compared from the generated table and the registered
// routers alone: nothing here lists an operation or a route by hand.
import assert from "node:assert/strict";
import { permissionTable, type AccessRule } from "@commlog/contracts";
import { loadOpenApiDocument } from "@commlog/contracts/documents";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { operationRouters } from "../src/app.js";
import { primaryReads } from "../src/db/replicas.js";
import { dialects, type Dialect } from "../src/http/dialects.js";
import { expressPath, type Handlers, type OperationHandler } from "../src/http/operations.js";
import { testEngines, type OpenDatabase } from "./support/databases.js";
import { ADMIN_TOKEN, startHarness, type Harness } from "./support/harness.js";

type Entry = { method: string; path: string; access: AccessRule };
const operationsOf = (dialect: Dialect) => Object.entries(permissionTable[dialect] as Record<string, Entry>);
const handledOf = (dialect: Dialect) => operationsOf(dialect).filter(([, entry]) => !("notViaApi" in entry.access));

/** The routes an Express router serves, as `METHOD /path`. */
function routesOf(router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> }): string[] {
  return router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`) : []));
}

describe("contract operations and handlers", () => {
  let database: OpenDatabase;
  let routers: ReturnType<typeof operationRouters>;
  beforeAll(async () => {
    database = await testEngines()[0]!.open();
    routers = operationRouters({ dataSource: database.dataSource, reads: primaryReads(database.dataSource) });
  });
  afterAll(() => database?.close());

  for (const dialect of dialects) {
    it(`${dialect}: a handler for every operation not answered 405 "not via API", and none for any other`, () => {
      const expected = handledOf(dialect).map(([operationId]) => operationId).sort();
      assert.ok(expected.length > 0);
      assert.deepEqual(Object.keys(routers[dialect].handlers).sort(), expected);
    });

    it(`${dialect}: each handler is routed at its operation's method and path, and nothing else is`, () => {
      const expected = handledOf(dialect).map(([, entry]) => `${entry.method} ${expressPath(entry.path)}`).sort();
      assert.deepEqual(routesOf(routers[dialect] as never).sort(), expected);
    });
  }

  it("fails the type check for a missing handler, a handler of no operation, or a body that does not fit", () => {
    // Checked by `tsc` (the server's `npm test` runs it first); each line would compile without its error.
    const getCount: OperationHandler<"exolve", "Messages_getCount"> = async () => ({ count: "0" });
    // @ts-expect-error the contract's Messages_getCount has no handler
    const missing: Handlers<"exolve"> = {};
    // @ts-expect-error Messages_send is no operation of the contract
    const extra: Handlers<"exolve"> = { Messages_getCount: getCount, Messages_send: getCount };
    // @ts-expect-error a notViaApi operation never reaches a handler
    const notViaApi: Partial<Handlers<"status200">> = { SmsLogs_create: async () => ({}) };
    // @ts-expect-error GetCount answers a decimal string
    const wrongBody: OperationHandler<"exolve", "Messages_getCount"> = async () => ({ count: 0 });
    assert.ok([missing, extra, notViaApi, wrongBody].every(Boolean));
  });

  it("turns every OpenAPI path parameter into an Express one", () => {
    for (const dialect of dialects) {
      for (const [, entry] of operationsOf(dialect)) assert.doesNotMatch(expressPath(entry.path), /[{}]/);
    }
    assert.equal(expressPath("/a/{id}/b"), "/a/:id/b");
  });
});

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: HEAD follows the contract`, () => {
    let h: Harness;
    let credentials: Record<Dialect, [string, string]>;
    beforeAll(async () => {
      h = await startHarness(engine);
      const project = await h.createProject();
      const key = await h.createKey({ projectId: project._id, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
      credentials = {
        status200: ["ApiKey", key],
        telecomx: ["Authorization", `Bearer ${key}`],
        exolve: ["Authorization", `Bearer ${key}`],
        internal: ["Authorization", `Bearer ${ADMIN_TOKEN}`],
      };
    });
    afterAll(() => h?.close());

    it("answers HEAD like GET without a body on every safe GET, and 405 on every GET the contract marks unsafe", async () => {
      const id = "550e8400-e29b-41d4-a716-446655440000";
      let unsafe = 0;
      for (const dialect of dialects) {
        for (const [path, item] of Object.entries(loadOpenApiDocument(dialect).paths)) {
          const get = item["get"] as { "x-commlog-unsafe"?: boolean } | undefined;
          if (!get) continue;
          const url = path.replace(/\{[^}]+\}/g, id);
          const [header, value] = credentials[dialect];
          const head = await h.http.head(url).set(header, value);
          if (get["x-commlog-unsafe"]) {
            unsafe++;
            assert.equal(head.status, 405, url);
            assert.ok(head.headers["allow"], url);
            assert.doesNotMatch(head.headers["allow"]!, /HEAD/, url);
          } else {
            const asGet = await h.http.get(url).set(header, value);
            assert.equal(head.status, asGet.status, url);
            assert.equal(head.text, undefined, url);
          }
        }
      }
      assert.ok(unsafe > 0, "the contract marks no GET unsafe");
    });
  });
}
