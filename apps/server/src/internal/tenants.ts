import { randomUUID } from "node:crypto";
import { invalid, validateKeyGrants, type KeyScope } from "@commlog/domain";
import type { Internal } from "@commlog/contracts";
import type { DataSource } from "typeorm";
import { generateApiKey } from "../auth/api-keys.js";
import { ApiKeyEntity, ProjectEntity, ResellerEntity, type ApiKey } from "../db/entities.js";
import { HttpError, notFound } from "../http/errors.js";

/** A reseller and its own project ("own messages"), created together. */
export async function createReseller(dataSource: DataSource, input: Internal.ResellerCreate): Promise<Internal.Reseller> {
  const resellerId = randomUUID();
  const projectId = randomUUID();
  const createdAt = new Date();
  await dataSource.transaction(async (manager) => {
    await manager.getRepository(ResellerEntity).insert({ _id: resellerId, name: input.name, ownProjectId: projectId, createdAt });
    await manager.getRepository(ProjectEntity).insert({ _id: projectId, name: input.name, resellerId, createdAt });
  });
  return { _id: resellerId, name: input.name, projectId };
}

export async function createProject(dataSource: DataSource, input: Internal.ProjectCreate): Promise<Internal.Project> {
  const resellerId = input.resellerId?.toLowerCase() ?? null;
  if (resellerId && !(await dataSource.getRepository(ResellerEntity).existsBy({ _id: resellerId }))) throw notFound("resellerId: no reseller with this id");
  const project = { _id: randomUUID(), name: input.name, resellerId, createdAt: new Date() };
  await dataSource.getRepository(ProjectEntity).insert(project);
  return { _id: project._id, name: project.name, resellerId };
}

/** Removes a project and everything it owns (keys, SMS, calls, items cascade); a reseller's own project stays with its reseller. */
export async function deleteProject(dataSource: DataSource, id: string): Promise<void> {
  const projectId = id.toLowerCase();
  if (await dataSource.getRepository(ResellerEntity).existsBy({ ownProjectId: projectId })) {
    throw new HttpError(409, "conflict", "a reseller's own project cannot be deleted");
  }
  const result = await dataSource.getRepository(ProjectEntity).delete({ _id: projectId });
  if (!result.affected) throw notFound("id: no project with this id");
}

/**
 * Removes a reseller with everything it owns: its projects (its own included), each with what it
 * owns as in `deleteProject` (foreign-key cascades), then the reseller with its reseller-scoped keys.
 */
export async function deleteReseller(dataSource: DataSource, id: string): Promise<void> {
  const resellerId = id.toLowerCase();
  await dataSource.transaction(async (manager) => {
    if (!(await manager.getRepository(ResellerEntity).existsBy({ _id: resellerId }))) throw notFound("id: no reseller with this id");
    // Projects first: project.resellerId does not cascade, so a reseller is never removed under its customers by accident.
    await manager.getRepository(ProjectEntity).delete({ resellerId });
    await manager.getRepository(ResellerEntity).delete({ _id: resellerId });
  });
}

function presentKey(row: ApiKey): Internal.ApiKey {
  return {
    _id: row._id,
    name: row.name,
    projectId: row.projectId,
    resellerId: row.resellerId,
    platform: row.platform,
    permissions: row.permissions as Internal.ApiKey["permissions"],
    accessLevel: row.accessLevel as Internal.ApiKey["accessLevel"],
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A key for exactly one scope: a project, a reseller or the platform. Grants must fit the scope
 * (SPEC §9); reseller and platform keys always carry RESELLER and ADMIN. The secret is returned
 * here and never again.
 */
export async function createApiKey(dataSource: DataSource, input: Internal.ApiKeyCreate): Promise<Internal.CreatedApiKey> {
  const scopes = [input.projectId && "project", input.resellerId && "reseller", input.platform && "platform"].filter(Boolean) as KeyScope[];
  if (scopes.length !== 1) throw invalid("projectId", "give exactly one of projectId, resellerId or platform: true");
  const scope = scopes[0]!;
  const grants = validateKeyGrants({ scope, permissions: input.permissions, accessLevel: input.accessLevel });
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalid("expiresAt", "must lie in the future");
  const projectId = input.projectId?.toLowerCase() ?? null;
  const resellerId = input.resellerId?.toLowerCase() ?? null;
  if (projectId && !(await dataSource.getRepository(ProjectEntity).existsBy({ _id: projectId }))) throw notFound("projectId: no project with this id");
  if (resellerId && !(await dataSource.getRepository(ResellerEntity).existsBy({ _id: resellerId }))) throw notFound("resellerId: no reseller with this id");


  const { key, lookupId, secretHash } = generateApiKey();
  const row: ApiKey = {
    _id: randomUUID(),
    name: input.name,
    lookupId,
    secretHash,
    projectId,
    resellerId,
    platform: scope === "platform",
    permissions: grants.permissions,
    accessLevel: scope === "reseller" ? "RESELLER" : scope === "platform" ? "ADMIN" : (grants.accessLevel ?? null),
    expiresAt,
    revokedAt: null,
    createdAt: new Date(),
  };
  await dataSource.getRepository(ApiKeyEntity).insert(row);
  return { ...presentKey(row), key };
}

export async function listApiKeys(dataSource: DataSource, filter: { projectId?: string; resellerId?: string }): Promise<Internal.ApiKeyList> {
  const rows = await dataSource.getRepository(ApiKeyEntity).find({
    where: {
      ...(filter.projectId ? { projectId: filter.projectId.toLowerCase() } : {}),
      ...(filter.resellerId ? { resellerId: filter.resellerId.toLowerCase() } : {}),
    },
    order: { createdAt: "ASC", _id: "ASC" },
  });
  return { data: rows.map(presentKey) };
}

/** Revoking is idempotent: a second revoke keeps the first `revokedAt`. */
export async function revokeApiKey(dataSource: DataSource, id: string): Promise<Internal.ApiKey> {
  const repository = dataSource.getRepository(ApiKeyEntity);
  const row = await repository.findOneBy({ _id: id.toLowerCase() });
  if (!row) throw notFound("id: no API key with this id");
  if (!row.revokedAt) {
    row.revokedAt = new Date();
    await repository.update({ _id: row._id }, { revokedAt: row.revokedAt });
  }
  return presentKey(row);
}
