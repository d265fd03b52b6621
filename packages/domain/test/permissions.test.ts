import assert from "node:assert/strict";
import { describe, it } from "@jest/globals";
import {
  ACCESS_LEVELS,
  STATUS200_PERMISSIONS,
  authorize,
  validateKeyGrants,
  type AccessRule,
  type Principal,
  type Status200Permission,
} from "../src/index.js";
import { throwsDomain } from "./helpers.js";

// The permission table of SPEC §2, as the generated contracts will carry it.
const readSmsLog: AccessRule = { scheme: "ApiKey", anyOf: ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadSmsLog", "ReadAllProjectResources"] };
const readItem: AccessRule = { scheme: "ApiKey", anyOf: ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadIncomingCallLogItem", "ReadAllProjectResources"] };
const readCall: AccessRule = { scheme: "ApiKey", anyOf: ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadIncomingCallLog", "ReadAllProjectResources"] };
const writeItem: AccessRule = { scheme: "ApiKey", anyOf: ["ProjectOwner", "ProjectAdmin"] };
const notViaApi: AccessRule = { scheme: "ApiKey", notViaApi: true };
const exolveCount: AccessRule = { scheme: "Bearer", anyOf: readSmsLog.anyOf };
const telecomxList: AccessRule = { scheme: "Bearer", accessLevels: ["VIEWER", "MANAGER", "OWNER", "RESELLER", "ADMIN"] };

const projectKey = (permissions: Status200Permission[], accessLevel?: "VIEWER" | "MANAGER" | "OWNER"): Principal => ({
  kind: "project",
  projectId: "p1",
  permissions,
  ...(accessLevel ? { accessLevel } : {}),
});
const reseller: Principal = { kind: "reseller", resellerId: "r1", ownProjectId: "p0", accessLevel: "RESELLER" };
const platform: Principal = { kind: "platform", accessLevel: "ADMIN" };
const adminToken: Principal = { kind: "admin-token" };

describe("Status200 permissions", () => {
  const matrix: Array<[string, AccessRule, Status200Permission[]]> = [
    ["read SMS Log", readSmsLog, ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadSmsLog", "ReadAllProjectResources"]],
    ["read Incoming Call Log Item", readItem, ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadIncomingCallLogItem", "ReadAllProjectResources"]],
    ["read Incoming Call Log", readCall, ["ProjectOwner", "ProjectAdmin", "ProjectMember", "ReadIncomingCallLog", "ReadAllProjectResources"]],
    ["write Incoming Call Log Item", writeItem, ["ProjectOwner", "ProjectAdmin"]],
  ];
  for (const [name, rule, allowed] of matrix) {
    for (const p of STATUS200_PERMISSIONS) {
      const ok = allowed.includes(p);
      it(`a key holding only ${p} ${ok ? "may" : "may not"} ${name}`, () => {
        const d = authorize(rule, projectKey([p]));
        if (ok) assert.deepEqual(d, { ok: true });
        else {
          assert.equal(d.ok, false);
          if (!d.ok) {
            assert.equal(d.status, 403);
            for (const a of allowed) assert.match(d.message, new RegExp(a));
          }
        }
      });
    }
  }

  it("permissions grant nothing by hierarchy: ReadSmsLog does not read items", () => {
    assert.equal(authorize(readItem, projectKey(["ReadSmsLog", "ReadIncomingCallLog"])).ok, false);
  });

  it("a key with no permissions is denied with 403", () => {
    const d = authorize(readSmsLog, projectKey([], "OWNER"));
    assert.equal(!d.ok && d.status, 403);
  });

  it("reseller and platform keys hold no Status200 permission", () => {
    for (const p of [reseller, platform]) {
      const d = authorize(readSmsLog, p);
      assert.equal(!d.ok && d.status, 403);
    }
  });

  it("writing a resource that cannot be written via the API is 405 whatever the key holds", () => {
    for (const p of [projectKey(["ProjectOwner"]), projectKey([]), reseller, platform]) {
      assert.deepEqual(authorize(notViaApi, p), { ok: false, status: 405, code: "not_via_api", message: "this resource cannot be written via the API" });
    }
  });
});

describe("Exolve authorization", () => {
  for (const p of STATUS200_PERMISSIONS) {
    const ok = readSmsLog.anyOf.includes(p);
    it(`a project key holding only ${p} ${ok ? "may" : "may not"} count SMS`, () => {
      const d = authorize(exolveCount, projectKey([p]));
      assert.deepEqual(d, ok ? { ok: true } : { ok: false, status: 401, code: "unauthorized", message: "authorization token is invalid" });
    });
  }

  it("reseller, platform keys and the admin token are not valid tokens", () => {
    for (const p of [reseller, platform, adminToken]) {
      assert.deepEqual(authorize(exolveCount, p), { ok: false, status: 401, code: "unauthorized", message: "authorization token is invalid" });
    }
  });
});

describe("TelecomX access levels", () => {
  it("every access level may list messages", () => {
    for (const level of ["VIEWER", "MANAGER", "OWNER"] as const) assert.deepEqual(authorize(telecomxList, projectKey([], level)), { ok: true });
    assert.deepEqual(authorize(telecomxList, reseller), { ok: true });
    assert.deepEqual(authorize(telecomxList, platform), { ok: true });
  });

  it("a key without an access level gets 403 Insufficient access level", () => {
    assert.deepEqual(authorize(telecomxList, projectKey(["ProjectOwner"])), {
      ok: false,
      status: 403,
      code: "access_denied",
      message: "Insufficient access level",
    });
  });

  it("a level outside the rule's list is 403", () => {
    const adminOnly: AccessRule = { scheme: "Bearer", accessLevels: ["ADMIN"] };
    for (const p of [projectKey([], "OWNER"), reseller]) assert.equal(authorize(adminOnly, p).ok, false);
    assert.equal(authorize(adminOnly, platform).ok, true);
  });
});

describe("internal admin token", () => {
  it("only the admin token opens the internal API", () => {
    const rule: AccessRule = { scheme: "AdminToken" };
    assert.deepEqual(authorize(rule, adminToken), { ok: true });
    for (const p of [projectKey(["ProjectOwner"], "OWNER"), reseller, platform]) {
      const d = authorize(rule, p);
      assert.equal(!d.ok && d.status, 401);
    }
  });

  it("the admin token is not an API key", () => {
    assert.equal(authorize(readSmsLog, adminToken).ok, false);
    assert.equal(authorize(telecomxList, adminToken).ok, false);
  });
});

describe("key grants fit the key's scope", () => {
  it("a project key carries permissions and VIEWER, MANAGER or OWNER", () => {
    assert.deepEqual(validateKeyGrants({ scope: "project", permissions: ["ReadSmsLog", "ReadSmsLog", "ProjectMember"], accessLevel: "OWNER" }), {
      permissions: ["ReadSmsLog", "ProjectMember"],
      accessLevel: "OWNER",
    });
    assert.deepEqual(validateKeyGrants({ scope: "project" }), { permissions: [] });
    for (const level of ["RESELLER", "ADMIN", "owner", 1]) {
      throwsDomain(() => validateKeyGrants({ scope: "project", accessLevel: level }), { code: "invalid_value", field: "accessLevel" });
    }
  });

  it("a reseller key is RESELLER only, without permissions", () => {
    assert.deepEqual(validateKeyGrants({ scope: "reseller", accessLevel: "RESELLER" }), { permissions: [], accessLevel: "RESELLER" });
    for (const level of ACCESS_LEVELS.filter((l) => l !== "RESELLER")) {
      throwsDomain(() => validateKeyGrants({ scope: "reseller", accessLevel: level }), { field: "accessLevel" });
    }
    throwsDomain(() => validateKeyGrants({ scope: "reseller", permissions: ["ReadSmsLog"], accessLevel: "RESELLER" }), { field: "permissions" });
  });

  it("a platform key is ADMIN only, without permissions", () => {
    assert.deepEqual(validateKeyGrants({ scope: "platform", accessLevel: "ADMIN" }), { permissions: [], accessLevel: "ADMIN" });
    for (const level of ACCESS_LEVELS.filter((l) => l !== "ADMIN")) {
      throwsDomain(() => validateKeyGrants({ scope: "platform", accessLevel: level }), { field: "accessLevel" });
    }
    throwsDomain(() => validateKeyGrants({ scope: "platform", permissions: ["ProjectOwner"] }), { field: "permissions" });
  });

  it("unknown permission names are a 400 naming them", () => {
    throwsDomain(() => validateKeyGrants({ scope: "project", permissions: ["Read SMS Log"] }), { field: "permissions[0]", message: /Read SMS Log/ });
    throwsDomain(() => validateKeyGrants({ scope: "project", permissions: ["ReadSmsLog", "Viewer"] }), { field: "permissions[1]" });
  });
});
