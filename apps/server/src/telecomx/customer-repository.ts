import type { DataSource } from "typeorm";
import { ProjectEntity } from "../db/entities.js";

// The TelecomX customer scope's queries (telecomx/customer-scope.ts decides, this module asks).

/** Whether the project exists, and when `resellerId` is given, whether that reseller owns it. */
export function customerExists(dataSource: DataSource, projectId: string, resellerId?: string): Promise<boolean> {
  return dataSource.getRepository(ProjectEntity).existsBy({ _id: projectId, ...(resellerId !== undefined ? { resellerId } : {}) });
}
