import { randomUUID } from "node:crypto";
import type { World } from "../provisioning.js";
import type { Expect, Scenario } from "../scenario.js";
import { bearer, expectStatus } from "./common.js";

/** commlog's own API (SPEC §7): auth, validation, idempotent ingest, all-or-nothing batches. */
export function internalScenarios(w: World, adminToken: string): Scenario[] {
  const out: Scenario[] = [];
  const admin = bearer(adminToken);
  const f = w.projects.f;
  const add = (group: string, name: string, method: string, path: string, body: unknown, expect: Expect, headers: Record<string, string> = admin) =>
    out.push({ dialect: "internal", group, name, request: { method, path, headers, ...(body !== undefined ? { body } : {}) }, expect });
  const exolveCount = (key: string) => ({ method: "POST", path: "/messaging/v1/GetCount", headers: bearer(key), body: {} });

  add("authentication", "no token is 401", "POST", "/internal/v1/projects", { name: `${w.runId} x` }, { status: 401 }, {});
  add("authentication", "a wrong token is 401", "POST", "/internal/v1/projects", { name: `${w.runId} x` }, { status: 401 }, bearer("x".repeat(40)));
  add("authentication", "a project key is not the admin token", "GET", `/internal/v1/api-keys?projectId=${f.id}`, undefined, { status: 401 }, bearer(w.keys.fOwner));
  add("projects", "a project without a name is 400", "POST", "/internal/v1/projects", {}, { status: 400 });
  add("projects", "a project under a missing reseller is 400 or 404", "POST", "/internal/v1/projects", { name: `${w.runId} orphan`, resellerId: randomUUID() }, { status: [400, 404] });
  add("projects", "deleting a missing project is 404", "DELETE", `/internal/v1/projects/${randomUUID()}`, undefined, { status: 404 });
  add("api-keys", "a project key cannot be RESELLER", "POST", "/internal/v1/api-keys", { name: `${w.runId} bad`, projectId: f.id, accessLevel: "RESELLER" }, { status: 400 });
  add("api-keys", "a platform key has no project", "POST", "/internal/v1/api-keys", { name: `${w.runId} bad`, projectId: f.id, platform: true, accessLevel: "ADMIN" }, { status: 400 });
  add("api-keys", "an unknown permission is 400", "POST", "/internal/v1/api-keys", { name: `${w.runId} bad`, projectId: f.id, permissions: ["Viewer"] }, { status: 400 });
  add("api-keys", "the key list never shows secrets", "GET", `/internal/v1/api-keys?projectId=${f.id}`, undefined, { status: 200, absent: ["data[*].key"], bodyIncludes: [`${w.runId} F owner`] });
  add("api-keys", "revoking a missing key is 404", "DELETE", `/internal/v1/api-keys/${randomUUID()}`, undefined, { status: 404 });
  add("sms", "a status update for a missing message is 404", "POST", "/internal/v1/sms/status", { _id: randomUUID(), deliveryStatus: "delivered" }, { status: [400, 404] });
  add("sms", "derived fields are never accepted", "POST", "/internal/v1/sms", { messages: [{ projectId: f.id, toNumber: "+4581808888", exolveStatus: "STATUS_DELIVERED" }] }, { status: 400 });
  add("sms", "contradictory statuses are 400", "POST", "/internal/v1/sms", { messages: [{ projectId: f.id, toNumber: "+4581808888", deliveryStatus: "delivered", status: "Failed" }] }, { status: 400 });

  out.push({
    dialect: "internal", group: "sms", name: "a replayed providerExternalId is a duplicate, not a second row",
    run: async (send) => {
      const problems: string[] = [];
      const message = { projectId: f.id, toNumber: "+4581808888", providerExternalId: `${w.runId}-replay`, smsText: "replay" };
      const before = expectStatus(await send(exolveCount(w.keys.fOwner)), 200, "count before", problems);
      const first = expectStatus(await send({ method: "POST", path: "/internal/v1/sms", headers: admin, body: { messages: [message] } }), 200, "first ingest", problems);
      const second = expectStatus(await send({ method: "POST", path: "/internal/v1/sms", headers: admin, body: { messages: [message] } }), 200, "replay", problems);
      const after = expectStatus(await send(exolveCount(w.keys.fOwner)), 200, "count after", problems);
      if (problems.length) return problems;
      if (second.data?.[0]?.duplicate !== true) problems.push(`the replay was not marked duplicate: ${JSON.stringify(second.data)}`);
      if (second.data?.[0]?._id !== first.data?.[0]?._id) problems.push("the replay answered another id");
      if (Number(after.count) !== Number(before.count) + 1) problems.push(`expected exactly one new row, count went ${before.count} → ${after.count}`);
      return problems;
    },
  });
  out.push({
    dialect: "internal", group: "sms", name: "a batch with one invalid message writes nothing",
    run: async (send) => {
      const problems: string[] = [];
      const before = expectStatus(await send(exolveCount(w.keys.fOwner)), 200, "count before", problems);
      const res = await send({ method: "POST", path: "/internal/v1/sms", headers: admin, body: { messages: [{ projectId: f.id, toNumber: "+4581808888" }, { projectId: f.id, toNumber: "not a phone" }] } });
      if (res.status !== 400) problems.push(`expected 400, got ${res.status}`);
      const after = expectStatus(await send(exolveCount(w.keys.fOwner)), 200, "count after", problems);
      if (after?.count !== before?.count) problems.push(`a rejected batch wrote rows: ${before?.count} → ${after?.count}`);
      return problems;
    },
  });
  return out;
}
