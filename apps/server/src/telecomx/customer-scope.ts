import { isUuid, type AccessLevel, type Principal } from "@commlog/domain";
import type { DataSource } from "typeorm";
import { HttpError } from "../http/errors.js";
import { customerExists } from "./customer-repository.js";

/**
 * Which customers (projects) a TelecomX listing covers (SPEC §5, §9 "TelecomX"):
 * - `projects`: exactly these projects;
 * - `reseller`: every project of the reseller, its own project included;
 * - `everything`: no project restriction (ADMIN without `customer`).
 */
export type CustomerScope =
  | { kind: "projects"; projectIds: [string] }
  | { kind: "reseller"; resellerId: string }
  | { kind: "everything" };

/** The TelecomX caller: its access level and, where it has one, its own project. */
export interface TelecomxCaller {
  level: AccessLevel;
  /** VIEWER/MANAGER/OWNER: the key's project; RESELLER: its "own messages" project; ADMIN: none. */
  ownProjectId?: string;
}

export function telecomxCaller(principal: Principal): TelecomxCaller {
  switch (principal.kind) {
    case "project":
      // The security handler only lets keys with an access level through.
      return { level: principal.accessLevel!, ownProjectId: principal.projectId };
    case "reseller":
      return { level: "RESELLER", ownProjectId: principal.ownProjectId };
    case "platform":
      return { level: "ADMIN" };
    default:
      throw new Error(`no TelecomX caller for a ${principal.kind} principal`);
  }
}

// A foreign customer is the same 404 as a missing one, so keys cannot probe other tenants.
const customerNotFound = () => new HttpError(404, "not_found", "Customer not found");

/**
 * Resolves the `customer` parameter against what the key may reach. Customers are plain strings
 * on the wire (the seed's ids are neither uuids nor 24-hex): anything that is not one of our
 * project ids simply resolves to nothing, which is a 404.
 */
export async function resolveCustomerScope(
  dataSource: DataSource,
  principal: Principal,
  customer: string | undefined,
): Promise<CustomerScope> {
  const projectId = customer === undefined ? undefined : isUuid(customer) ? customer.toLowerCase() : null;
  if (projectId === null) throw customerNotFound();

  switch (principal.kind) {
    case "project":
      if (projectId !== undefined && projectId !== principal.projectId) throw customerNotFound();
      return { kind: "projects", projectIds: [principal.projectId] };
    case "reseller": {
      if (projectId === undefined) return { kind: "reseller", resellerId: principal.resellerId };
      const reachable = projectId === principal.ownProjectId || (await customerExists(dataSource, projectId, principal.resellerId));
      if (!reachable) throw customerNotFound();
      return { kind: "projects", projectIds: [projectId] };
    }
    case "platform": {
      if (projectId === undefined) return { kind: "everything" };
      if (!(await customerExists(dataSource, projectId))) throw customerNotFound();
      return { kind: "projects", projectIds: [projectId] };
    }
    default:
      throw new Error(`no TelecomX scope for a ${principal.kind} principal`);
  }
}

/** True when the scope is exactly the caller's own project (the only place a RESELLER sees text). */
export function isOwnProjectOnly(scope: CustomerScope, caller: TelecomxCaller): boolean {
  return scope.kind === "projects" && scope.projectIds[0] === caller.ownProjectId;
}
