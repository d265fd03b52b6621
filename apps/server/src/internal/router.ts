import type { DataSource } from "typeorm";
import type { Metrics } from "../http/metrics.js";
import { operationsRouter, type OperationsRouter } from "../http/operations.js";
import { createIncomingCallLog, updateIncomingCallLog } from "./calls.js";
import { ingestSms, updateSmsStatus } from "./sms-ledger.js";
import { createApiKey, createProject, createReseller, deleteProject, deleteReseller, listApiKeys, revokeApiKey } from "./tenants.js";

/**
 * commlog's own API (SPEC §7), under `/internal/v1`. Requests arrive here validated against the
 * internal OpenAPI document and authenticated with the admin token.
 */
export function internalRouter({ dataSource, metrics }: { dataSource: DataSource; metrics?: Metrics }): OperationsRouter<"internal"> {
  return operationsRouter("internal", {
    Resellers_create: ({ body }) => createReseller(dataSource, body),
    Resellers_delete: async ({ path }) => {
      await deleteReseller(dataSource, path.id);
      return {};
    },
    Projects_create: ({ body }) => createProject(dataSource, body),
    Projects_delete: async ({ path }) => {
      await deleteProject(dataSource, path.id);
      return {};
    },
    ApiKeys_create: ({ body }) => createApiKey(dataSource, body),
    ApiKeys_list: ({ query }) => listApiKeys(dataSource, query),
    ApiKeys_revoke: ({ path }) => revokeApiKey(dataSource, path.id),
    Sms_ingest: async ({ body }) => {
      const data = await ingestSms(dataSource, body.messages);
      const duplicates = data.filter((result) => result.duplicate).length;
      metrics?.smsIngested.inc({ outcome: "written" }, data.length - duplicates);
      metrics?.smsIngested.inc({ outcome: "duplicate" }, duplicates);
      return { data };
    },
    Sms_updateStatus: ({ body }) => updateSmsStatus(dataSource, body),
    IncomingCallLogs_create: ({ body }) => createIncomingCallLog(dataSource, body),
    IncomingCallLogs_update: async ({ path, body }) => {
      await updateIncomingCallLog(dataSource, path.id, body);
      return {};
    },
  });
}
