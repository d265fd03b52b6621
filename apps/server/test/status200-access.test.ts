import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, it } from "@jest/globals";
import { permissionTable } from "@commlog/contracts";
import { testEngines } from "./support/databases.js";
import { startHarness, type Harness } from "./support/harness.js";

// SPEC §2, written out here (not read from the permission table) so that this test fails when the
// specs drift from the product specification.
const PERMISSIONS = ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadSmsLog", "ReadIncomingCallLogItem", "ReadIncomingCallLog", "ReadAllProjectResources"];
const OWNERS = ["ProjectOwner", "ProjectAdmin"];
const RESOURCES = {
  "/api/sms-log": { read: [...OWNERS, "ProjectMember", "ReadSmsLog", "ReadAllProjectResources"], write: "not via API" },
  "/api/incoming-call-log-item": { read: [...OWNERS, "ProjectMember", "ReadIncomingCallLogItem", "ReadAllProjectResources"], write: OWNERS },
  "/api/incoming-call-log": { read: [...OWNERS, "ProjectMember", "ReadIncomingCallLog", "ReadAllProjectResources"], write: "not via API" },
} as const;

/** Every route of SPEC §4, per resource: the reads, then the writes with their alternative methods. */
const ROUTES = [
  ["POST", "/get-list", "read"],
  ["GET", "/get-list", "read"],
  ["POST", "/{id}/get-item", "read"],
  ["GET", "/{id}/get-item", "read"],
  ["POST", "/count", "read"],
  ["POST", "", "write"],
  ["PUT", "/{id}", "write"],
  ["POST", "/{id}/update-item", "write"],
  ["GET", "/{id}/update-item", "write"],
  ["DELETE", "/{id}", "write"],
  ["POST", "/{id}/delete-item", "write"],
  ["GET", "/{id}/delete-item", "write"],
] as const;

const expectedRoutes = Object.keys(RESOURCES).flatMap((base) => ROUTES.map(([method, suffix]) => `${method} ${base}${suffix}`));
const operations = Object.values(permissionTable.status200 as Record<string, { method: string; path: string }>);

function expectation(method: string, path: string, permission: string): "allowed" | 403 | 405 {
  const base = (Object.keys(RESOURCES) as (keyof typeof RESOURCES)[]).find((b) => path === b || path.startsWith(`${b}/`))!;
  const route = ROUTES.find(([m, suffix]) => m === method && `${base}${suffix}` === path)!;
  const rule = RESOURCES[base][route[2]];
  if (rule === "not via API") return 405;
  return (rule as readonly string[]).includes(permission) ? "allowed" : 403;
}

for (const engine of testEngines()) {
  (engine.skip ? describe.skip : describe)(`${engine.name}: Status200 access`, () => {
    let h: Harness;
    let projectId: string;
    let callId: string;
    const keys = new Map<string, string>();

    beforeAll(async () => {
      h = await startHarness(engine);
      projectId = (await h.createProject())._id;
      for (const permission of PERMISSIONS) keys.set(permission, await h.createKey({ projectId, permissions: [permission] }));
      callId = (await h.internal("post", "/internal/v1/incoming-call-logs", { projectId, callerPhoneNumber: "+4581808888" })).body._id;
    });
    afterAll(() => h?.close());

    /** A schema-valid request for the route, on a random id (so an allowed write answers 404 or 200). */
    const send = (method: string, path: string, key: string | undefined) => {
      const url = path.replace("{id}", randomUUID());
      let request = h.http[method.toLowerCase() as "get"](url);
      if (key !== undefined) request = request.set("ApiKey", key);
      const body = method === "POST" && path === "/api/incoming-call-log-item"
        ? { data: { incomingCallLogId: callId, status: "Ringing", isAnswered: false } }
        : /update-item$|\{id\}$/.test(path) && method !== "DELETE"
          ? { data: { status: "Completed" } }
          : {};
      return request.send(body);
    };

    it("the permission table covers exactly the routes of SPEC §4", () => {
      assert.deepEqual(operations.map((op) => `${op.method} ${op.path}`).sort(), [...expectedRoutes].sort());
    });

    for (const permission of PERMISSIONS) {
      it(`a key holding only ${permission} gets exactly what SPEC §2 grants on every operation`, async () => {
        const mismatches: string[] = [];
        for (const { method, path } of operations) {
          const want = expectation(method, path, permission);
          const response = await send(method, path, keys.get(permission));
          const ok = want === "allowed" ? response.status === 200 || response.status === 404 : response.status === want;
          if (!ok) mismatches.push(`${method} ${path}: expected ${want}, got ${response.status} ${JSON.stringify(response.body)}`);
          if (response.status === 404 && want === "allowed") assert.equal(response.body.code, "not_found");
        }
        assert.deepEqual(mismatches, []);
      });
    }

    it("names the permissions that would allow an operation in a 403", async () => {
      const response = await send("POST", "/api/sms-log/get-list", keys.get("ReadIncomingCallLogItem"));
      assert.equal(response.status, 403);
      for (const permission of RESOURCES["/api/sms-log"].read) assert.match(response.body.error, new RegExp(permission));
    });

    it("answers a write to a read-only resource 405 with an Allow header", async () => {
      const response = await send("PUT", "/api/sms-log/{id}", keys.get("ProjectOwner"));
      assert.equal(response.status, 405);
      assert.equal(typeof response.headers["allow"], "string");
      assert.doesNotMatch(response.headers["allow"]!, /PUT/);
    });

    it("answers no key, an empty key, a garbage key, a revoked key and an expired key with 401, before 405 and 403", async () => {
      const revoked = await h.internal("post", "/internal/v1/api-keys", { name: "r", projectId, permissions: ["ProjectOwner"] });
      await h.internal("delete", `/internal/v1/api-keys/${revoked.body._id}`);
      // A key cannot be made already expired (400): make one that expires at once, and wait.
      const expired = await h.createKey({ projectId, permissions: ["ProjectOwner"], expiresAt: new Date(Date.now() + 200).toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 250));
      const owner = keys.get("ProjectOwner")!;
      const badKeys = [undefined, "", "   ", "garbage", `${owner}x`, `Bearer ${owner}`, revoked.body.key, expired];
      for (const key of badKeys) {
        for (const [method, path] of [["POST", "/api/sms-log"], ["POST", "/api/sms-log/get-list"], ["DELETE", "/api/incoming-call-log-item/{id}"]]) {
          const response = await send(method!, path!, key);
          assert.equal(response.status, 401, `${method} ${path} with ${JSON.stringify(key)}`);
          assert.equal(typeof response.body.error, "string");
        }
      }
    });

    it("accepts the ApiKey header in any case and never falls back to an Authorization header", async () => {
      const owner = keys.get("ProjectOwner")!;
      assert.equal((await h.http.post("/api/sms-log/count").set("apikey", owner).send({})).status, 200);
      assert.equal((await h.http.post("/api/sms-log/count").set("APIKEY", owner).send({})).status, 200);
      assert.equal((await h.http.post("/api/sms-log/count").set("Authorization", `Bearer ${owner}`).send({})).status, 401);
    });

    it("answers a duplicated ApiKey header with 401, even when both copies are valid keys", async () => {
      const server = h.app.listen(0);
      try {
        const { port } = server.address() as AddressInfo;
        // Raw HTTP/1.1, so that the header really arrives twice.
        const status = (headers: string[]) =>
          new Promise<number>((resolve, reject) => {
            const lines = ["POST /api/sms-log/count HTTP/1.1", "Host: localhost", "Connection: close", "Content-Length: 2"];
            for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
            let reply = "";
            const socket = connect(port, "127.0.0.1", () => socket.write(`${lines.join("\r\n")}\r\n\r\n{}`));
            socket.on("data", (chunk) => (reply += chunk));
            socket.on("end", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1])));
            socket.on("error", reject);
          });
        const owner = keys.get("ProjectOwner")!;
        const base = ["Content-Type", "application/json"];
        assert.equal(await status([...base, "ApiKey", owner]), 200);
        assert.equal(await status([...base, "ApiKey", owner, "ApiKey", owner]), 401);
        assert.equal(await status([...base, "ApiKey", owner, "ApiKey", keys.get("ReadSmsLog")!]), 401);
        assert.equal(await status([...base, "ApiKey", "", "ApiKey", owner]), 401);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("gives reseller and platform keys no Status200 access", async () => {
      const reseller = await h.createReseller();
      const resellerKey = await h.createKey({ resellerId: reseller._id });
      const platformKey = await h.createKey({ platform: true });
      for (const key of [resellerKey, platformKey]) {
        const response = await send("POST", "/api/sms-log/get-list", key);
        assert.equal(response.status, 403);
      }
    });

    it("answers HEAD on the GET twins of writes with 405 and deletes nothing", async () => {
      const owner = keys.get("ProjectOwner")!;
      const created = await h.http.post("/api/incoming-call-log-item").set("ApiKey", owner).send({ data: { incomingCallLogId: callId, status: "Ringing", isAnswered: false } });
      for (const action of ["delete-item", "update-item"]) {
        const response = await h.http.head(`/api/incoming-call-log-item/${created.body._id}/${action}`).set("ApiKey", owner);
        assert.equal(response.status, 405);
      }
      const still = await h.http.post(`/api/incoming-call-log-item/${created.body._id}/get-item`).set("ApiKey", owner).send({});
      assert.equal(still.status, 200);
    });
  });
}
