import { Router } from "express";
import type { DataSource } from "typeorm";

/**
 * Health probes, outside every dialect's auth: `/healthz` answers while the process is up;
 * `/readyz` answers 200 only when the database answers and no migration is pending, else 503.
 */
export function healthRouter({ dataSource }: { dataSource: DataSource }): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await dataSource.query("SELECT 1");
      const pending = await dataSource.showMigrations();
      res.status(pending ? 503 : 200).json({ status: pending ? "migrations pending" : "ready" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });
  return router;
}
