import { randomBytes, randomUUID } from "node:crypto";
import { createInternalClient, createStatus200Client, type Internal } from "@commlog/contracts";
import { loadOpenApiDocument } from "@commlog/contracts/documents";
import { a1Rows, type Row } from "./dataset.js";

export type Permission = Internal.Status200Permission;

/** Every Status200 permission a key can hold, as the internal API's contract enumerates them. */
export const status200Permissions = (loadOpenApiDocument("internal").components?.schemas?.["Commlog.Common.Status200Permission"] as { enum: Permission[] }).enum;

export interface ProjectData {
  id: string;
  name: string;
  /** Ledger ids of its SMS, in ingest order, with their Exolve message ids. */
  sms: Array<{ _id: string; messageId: string }>;
  calls: string[];
  items: string[];
}

/** Everything the suite created, with the secrets of its keys: the input of every scenario. */
export interface World {
  runId: string;
  rows: Row[];
  alertId: string;
  resellerA: { id: string; projectId: string };
  resellerB: { id: string; projectId: string };
  /** A1, A2: customers of reseller A; RA: reseller A's own project; B1: reseller B's; M: permission matrix; F: fuzzing. */
  projects: Record<"a1" | "a2" | "ra" | "b1" | "m" | "f", ProjectData>;
  keys: {
    a1Owner: string;
    a1Viewer: string;
    a1Manager: string;
    a1ReadSms: string;
    a1ReadCalls: string;
    a1None: string;
    a1Revoked: string;
    a2Owner: string;
    b1Owner: string;
    resellerA: string;
    admin: string;
    fOwner: string;
    /** Project M: one key per Status200 permission, and one with none. */
    matrix: Record<Permission | "none", string>;
  };
  /** Projects to delete at the end (the ones the run created; resellers' own projects go with their resellers). */
  cleanup: string[];
  /** Resellers to delete at the end (with their projects and every key scoped to either). */
  resellers: string[];
  /** The run's platform key, revoked last (SPEC §10). */
  platformKeyId: string;
  /** Provisioning steps that failed without stopping the run (reported as failures). */
  problems: string[];
}

/** What a run has created so far: what clean-up removes. */
export type Created = Pick<World, "runId" | "cleanup" | "resellers" | "platformKeyId">;

export class ProvisioningError extends Error {
  /** What was created before provisioning failed (set by provision()), so that it can be removed. */
  created?: Created;
}

/**
 * Provisions a fresh world through the internal API only (and Status200 create for call items).
 * When it fails half-way, the ProvisioningError it throws carries what was created.
 */
export async function provision(baseUrl: string, adminToken: string): Promise<World> {
  const created: Created = { runId: `conf-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`, cleanup: [], resellers: [], platformKeyId: "" };
  try {
    return await provisionInto(baseUrl, adminToken, created);
  } catch (error) {
    const e = error instanceof ProvisioningError ? error : new ProvisioningError(error instanceof Error ? error.message : String(error));
    e.created = created;
    throw e;
  }
}

async function provisionInto(baseUrl: string, adminToken: string, created: Created): Promise<World> {
  const api = createInternalClient({ baseUrl, adminToken });
  const { runId, cleanup, resellers } = created;

  async function ok<T>(what: string, call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok || data === undefined) {
      throw new ProvisioningError(`provisioning: ${what} answered ${response.status} ${JSON.stringify(error ?? "")}`);
    }
    return data;
  }
  const reseller = async (name: string) => {
    const r = await ok("create reseller", api.POST("/internal/v1/resellers", { body: { name: `${runId} ${name}` } }));
    resellers.push(r._id);
    return { id: r._id, projectId: r.projectId };
  };
  const project = async (name: string, resellerId?: string): Promise<ProjectData> => {
    const p = await ok("create project", api.POST("/internal/v1/projects", { body: { name: `${runId} ${name}`, ...(resellerId ? { resellerId } : {}) } }));
    cleanup.push(p._id);
    return { id: p._id, name: p.name, sms: [], calls: [], items: [] };
  };
  type KeyBody = { projectId?: string; resellerId?: string; platform?: boolean; permissions?: Permission[]; accessLevel?: "VIEWER" | "MANAGER" | "OWNER" | "RESELLER" | "ADMIN" };
  const key = async (name: string, body: KeyBody) => {
    const k = await ok(`create key ${name}`, api.POST("/internal/v1/api-keys", { body: { name: `${runId} ${name}`, ...body } }));
    return { id: k._id, secret: k.key };
  };
  const sms = async (p: ProjectData, messages: Array<Record<string, unknown>>) => {
    const res = await ok(
      "ingest sms",
      api.POST("/internal/v1/sms", { body: { messages: messages.map((m) => ({ projectId: p.id, ...m })) as never } }),
    );
    p.sms.push(...res.data.map((d) => ({ _id: d._id, messageId: d.messageId })));
  };
  const call = async (p: ProjectData, callerPhoneNumber: string) => {
    const c = await ok(
      "record call",
      api.POST("/internal/v1/incoming-call-logs", { body: { projectId: p.id, callerPhoneNumber, status: "Completed", callDurationInSeconds: 30 } }),
    );
    p.calls.push(c._id);
    return c._id;
  };

  const resellerA = await reseller("reseller A");
  const resellerB = await reseller("reseller B");
  const projects = {
    a1: await project("A1", resellerA.id),
    a2: await project("A2", resellerA.id),
    ra: { id: resellerA.projectId, name: "reseller A own", sms: [], calls: [], items: [] } as ProjectData,
    b1: await project("B1", resellerB.id),
    m: await project("M"),
    f: await project("F"),
  };

  const matrix = {} as Record<Permission | "none", string>;
  for (const permission of status200Permissions) matrix[permission] = (await key(`M ${permission}`, { projectId: projects.m.id, permissions: [permission] })).secret;
  matrix.none = (await key("M none", { projectId: projects.m.id, permissions: [] })).secret;
  const platform = await key("platform admin", { platform: true, accessLevel: "ADMIN" });
  created.platformKeyId = platform.id;
  const revoked = await key("A1 revoked", { projectId: projects.a1.id, permissions: ["ProjectOwner"], accessLevel: "OWNER" });
  await ok("revoke key", api.DELETE("/internal/v1/api-keys/{id}", { params: { path: { id: revoked.id } } }));
  const keys: World["keys"] = {
    a1Owner: (await key("A1 owner", { projectId: projects.a1.id, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).secret,
    a1Viewer: (await key("A1 viewer", { projectId: projects.a1.id, permissions: ["ProjectMember"], accessLevel: "VIEWER" })).secret,
    a1Manager: (await key("A1 manager", { projectId: projects.a1.id, permissions: ["ProjectMember"], accessLevel: "MANAGER" })).secret,
    a1ReadSms: (await key("A1 read sms", { projectId: projects.a1.id, permissions: ["ReadSmsLog"] })).secret,
    a1ReadCalls: (await key("A1 read calls", { projectId: projects.a1.id, permissions: ["ReadIncomingCallLog"] })).secret,
    a1None: (await key("A1 none", { projectId: projects.a1.id, permissions: [] })).secret,
    a1Revoked: revoked.secret,
    a2Owner: (await key("A2 owner", { projectId: projects.a2.id, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).secret,
    b1Owner: (await key("B1 owner", { projectId: projects.b1.id, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).secret,
    resellerA: (await key("reseller A", { resellerId: resellerA.id, accessLevel: "RESELLER" })).secret,
    admin: platform.secret,
    fOwner: (await key("F owner", { projectId: projects.f.id, permissions: ["ProjectOwner"], accessLevel: "OWNER" })).secret,
    matrix,
  };

  const rows = a1Rows();
  const alertId = randomUUID();
  await sms(
    projects.a1,
    rows.map((r) => ({
      direction: r.direction,
      toNumber: r.toNumber,
      fromNumber: r.fromNumber,
      senderName: r.senderName,
      smsText: r.smsText,
      deliveryStatus: r.deliveryStatus,
      billingStatus: r.billingStatus,
      prohibited: r.prohibited,
      smsCostInUSDCents: r.smsCostInUSDCents,
      cost: 0.5,
      wholeSale: 0.65,
      price: 0.75,
      createdAt: r.createdAt,
      sentAt: r.sentAt,
      invoicedAt: r.invoicedAt,
      providerExternalId: `${runId}-a1-${r.i}`,
      ...(r.withNames ? { fromName: "Anders And", toName: "Rip" } : {}),
      ...(r.withAlert ? { alertId } : {}),
    })),
  );
  const other = (label: string, n: number, extra: Record<string, unknown> = {}) =>
    Array.from({ length: n }, (_, i) => ({
      toNumber: "+4581808888",
      fromNumber: "+4533000001",
      smsText: `${label} ${runId} ${i}`,
      deliveryStatus: "delivered",
      billingStatus: "billed",
      cost: 0.1,
      wholeSale: 0.2,
      price: 0.3,
      sentAt: new Date().toISOString(),
      ...extra,
    }));
  await sms(projects.a2, other("same-reseller", 3));
  await sms(projects.ra, other("reseller-own", 2));
  await sms(projects.b1, other("FOREIGN", 5));
  await sms(projects.m, other("matrix", 1));
  await sms(projects.f, other("fuzz", 3));

  await call(projects.a1, "+4581808888");
  await call(projects.a1, "+4570000000");
  await call(projects.b1, "+4581808888");
  await call(projects.m, "+4581808888");
  await call(projects.f, "+4581808888");

  // Items exist only through the Status200 dialect (SPEC §4): created with each project's owner-level key.
  const problems: string[] = [];
  const createItem = async (p: ProjectData, apiKey: string, status: string, isAnswered: boolean) => {
    const client = createStatus200Client({ baseUrl, apiKey });
    try {
      const item = await ok(
        "create incoming call log item (Status200)",
        client.POST("/api/incoming-call-log-item", { body: { data: { incomingCallLogId: p.calls[0]!, status, isAnswered } } }),
      );
      p.items.push(item._id);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  };
  const mOwnerKey = keys.matrix.ProjectOwner;
  for (let i = 0; i < 3; i++) await createItem(projects.a1, keys.a1Owner, "Example status", true);
  for (let i = 0; i < 2; i++) await createItem(projects.a1, keys.a1Owner, "Ringing", false);
  for (let i = 0; i < 2; i++) await createItem(projects.b1, keys.b1Owner, "Example status", true);
  await createItem(projects.m, mOwnerKey, "Example status", true);
  await createItem(projects.f, keys.fOwner, "Example status", true);

  return { runId, rows, alertId, resellerA, resellerB, projects, keys, cleanup, resellers, platformKeyId: platform.id, problems: [...new Set(problems)] };
}

/**
 * Removes everything the run created (SPEC §10): its projects with their data and keys, then its
 * resellers (each with its own project and its reseller keys), then revokes any key of the run still
 * active (found by the run id in its name: a key whose creation answer was lost), and its platform
 * key last, so that a failure on the way leaves a key able to finish the job by hand.
 */
export async function cleanUp(baseUrl: string, adminToken: string, world: Created): Promise<string[]> {
  const api = createInternalClient({ baseUrl, adminToken });
  const problems: string[] = [];
  for (const id of world.cleanup) {
    const { response } = await api.DELETE("/internal/v1/projects/{id}", { params: { path: { id } } });
    if (!response.ok) problems.push(`delete project ${id}: ${response.status}`);
  }
  for (const id of world.resellers) {
    const { response } = await api.DELETE("/internal/v1/resellers/{id}", { params: { path: { id } } });
    if (!response.ok) problems.push(`delete reseller ${id}: ${response.status}`);
  }
  const { data, response } = await api.GET("/internal/v1/api-keys", {});
  if (!response.ok || !data) problems.push(`list the API keys: ${response.status}`);
  for (const k of data?.data ?? []) {
    if (k.revokedAt !== null || k._id === world.platformKeyId || !k.name.startsWith(`${world.runId} `)) continue;
    const { response } = await api.DELETE("/internal/v1/api-keys/{id}", { params: { path: { id: k._id } } });
    if (!response.ok) problems.push(`revoke the key ${k._id} (${k.name}): ${response.status}`);
  }
  if (world.platformKeyId) {
    const { response } = await api.DELETE("/internal/v1/api-keys/{id}", { params: { path: { id: world.platformKeyId } } });
    if (!response.ok) problems.push(`revoke the platform key ${world.platformKeyId}: ${response.status}`);
  }
  return problems;
}

/**
 * A world of made-up ids and no secrets, for naming the scenarios of a provisioned run without
 * running them (keys-only mode lists them as skipped). Same shape and sizes as provision() makes.
 */
export function placeholderWorld(): World {
  const rows = a1Rows();
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  const sms = (n: number) => Array.from({ length: n }, (_, i) => ({ _id: randomUUID(), messageId: String(i + 1) }));
  const project = (name: string, nSms: number, nCalls: number, nItems: number): ProjectData => ({ id: randomUUID(), name, sms: sms(nSms), calls: ids(nCalls), items: ids(nItems) });
  const projects = { a1: project("A1", rows.length, 2, 5), a2: project("A2", 3, 0, 0), ra: project("RA", 2, 0, 0), b1: project("B1", 5, 1, 2), m: project("M", 1, 1, 1), f: project("F", 3, 1, 1) };
  const secret = "(not provisioned)";
  const matrix = Object.fromEntries([...status200Permissions, "none"].map((p) => [p, secret])) as Record<Permission | "none", string>;
  const keys: World["keys"] = {
    a1Owner: secret, a1Viewer: secret, a1Manager: secret, a1ReadSms: secret, a1ReadCalls: secret, a1None: secret, a1Revoked: secret,
    a2Owner: secret, b1Owner: secret, resellerA: secret, admin: secret, fOwner: secret, matrix,
  };
  return {
    runId: "placeholder", rows, alertId: randomUUID(),
    resellerA: { id: randomUUID(), projectId: projects.ra.id }, resellerB: { id: randomUUID(), projectId: randomUUID() },
    projects, keys, cleanup: [], resellers: [], platformKeyId: "", problems: [],
  };
}
