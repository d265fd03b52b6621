import { Router } from "express";
import type { Internal } from "@commlog/contracts";
import type { DataSource } from "typeorm";
import { createIncomingCallLog, updateIncomingCallLog } from "./calls.js";
import { ingestSms, updateSmsStatus } from "./sms-ledger.js";
import { createApiKey, createProject, createReseller, deleteProject, deleteReseller, listApiKeys, revokeApiKey } from "./tenants.js";

/**
 * commlog's own API (SPEC §7), under `/internal/v1`. Requests arrive here validated against the
 * internal OpenAPI document and authenticated with the admin token.
 */
export function internalRouter({ dataSource }: { dataSource: DataSource }): Router {
  const router = Router({ caseSensitive: true, strict: true });

  router.post("/internal/v1/resellers", async (req, res) => {
    res.json(await createReseller(dataSource, req.body as Internal.ResellerCreate));
  });
  router.delete("/internal/v1/resellers/:id", async (req, res) => {
    await deleteReseller(dataSource, req.params.id);
    res.json({});
  });
  router.post("/internal/v1/projects", async (req, res) => {
    res.json(await createProject(dataSource, req.body as Internal.ProjectCreate));
  });
  router.delete("/internal/v1/projects/:id", async (req, res) => {
    await deleteProject(dataSource, req.params.id);
    res.json({});
  });
  router.post("/internal/v1/api-keys", async (req, res) => {
    res.json(await createApiKey(dataSource, req.body as Internal.ApiKeyCreate));
  });
  router.get("/internal/v1/api-keys", async (req, res) => {
    res.json(await listApiKeys(dataSource, req.query as { projectId?: string; resellerId?: string }));
  });
  router.delete("/internal/v1/api-keys/:id", async (req, res) => {
    res.json(await revokeApiKey(dataSource, req.params.id));
  });
  router.post("/internal/v1/sms", async (req, res) => {
    res.json({ data: await ingestSms(dataSource, (req.body as Internal.SmsIngestRequest).messages) });
  });
  router.post("/internal/v1/sms/status", async (req, res) => {
    res.json(await updateSmsStatus(dataSource, req.body as Internal.SmsStatusUpdate));
  });
  router.post("/internal/v1/incoming-call-logs", async (req, res) => {
    res.json(await createIncomingCallLog(dataSource, req.body as Internal.IncomingCallLogCreate));
  });
  router.post("/internal/v1/incoming-call-logs/:id/update", async (req, res) => {
    await updateIncomingCallLog(dataSource, req.params.id, req.body as Internal.IncomingCallLogUpdate);
    res.json({});
  });
  return router;
}
