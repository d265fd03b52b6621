import type { Request, RequestHandler } from "express";
import { Router } from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DataSource } from "typeorm";
import { safeEqual } from "../auth/api-keys.js";
import { dialectOf } from "./dialects.js";

// Prometheus metrics (prom-client): per dialect and operation, request counts by status class and
// latency; the primary's connection pool; SMS rows ingested. One registry per app, so servers in
// one process (tests) never share counts.

export interface Metrics {
  registry: Registry;
  /** Counts and times every request; register it before any router. */
  requests: RequestHandler;
  /** SMS of accepted ingest batches: written, or replays of messages already recorded. */
  smsIngested: Counter<"outcome">;
}

type RoutedRequest = Request & { openapi?: { schema?: { operationId?: string } } };

/** pg's Pool, as TypeORM's PostgreSQL driver holds it (`driver.master`); SQLite has none. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function createMetrics(dataSource: DataSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "commlog_" });

  const labelNames = ["dialect", "operation", "status_class"] as const;
  const requestsTotal = new Counter({ name: "commlog_http_requests_total", help: "HTTP requests answered, by dialect, operation (operationId) and status class", labelNames, registers: [registry] });
  const duration = new Histogram({
    name: "commlog_http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer, by dialect and operation",
    labelNames: ["dialect", "operation"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const smsIngested = new Counter({ name: "commlog_sms_ingested_total", help: "SMS of accepted ingest batches: written, or duplicate (a replay)", labelNames: ["outcome"] as const, registers: [registry] });

  const pool = () => (dataSource.options.type === "postgres" ? ((dataSource.driver as unknown as { master?: PgPool }).master ?? undefined) : undefined);
  for (const [name, help, read] of [
    ["commlog_db_pool_connections", "Connections the primary's pool holds", (p: PgPool) => p.totalCount],
    ["commlog_db_pool_idle_connections", "Idle connections in the primary's pool", (p: PgPool) => p.idleCount],
    ["commlog_db_pool_waiting_requests", "Queries waiting for a connection of the primary's pool", (p: PgPool) => p.waitingCount],
  ] as const) {
    new Gauge({
      name,
      help: `${help} (PostgreSQL; 0 on SQLite)`,
      registers: [registry],
      collect() {
        const p = pool();
        this.set(p ? read(p) : 0);
      },
    });
  }

  const requests: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const dialect = dialectOf(req.path) ?? "none";
      // The validator names the operation once it has routed the request; anything else (an unknown path, /docs, /healthz) is "none".
      const operation = (req as RoutedRequest).openapi?.schema?.operationId ?? "none";
      requestsTotal.inc({ dialect, operation, status_class: `${Math.floor(res.statusCode / 100)}xx` });
      duration.observe({ dialect, operation }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, requests, smsIngested };
}

/**
 * `GET /metrics` in Prometheus' text format, outside the dialects' auth: only with
 * `Authorization: Bearer <COMMLOG_METRICS_TOKEN>` (Prometheus' `authorization` scrape option);
 * without a configured token the endpoint does not exist (404).
 */
export function metricsRouter(metrics: Metrics, token: string): Router {
  const router = Router();
  router.get("/metrics", async (req, res) => {
    const given = /^Bearer (\S+)$/i.exec(req.headers.authorization?.trim() ?? "")?.[1];
    if (!given || !safeEqual(given, token)) {
      res.status(401).setHeader("WWW-Authenticate", 'Bearer realm="metrics"').json({ error: "the metrics endpoint needs Authorization: Bearer <COMMLOG_METRICS_TOKEN>", code: "unauthorized" });
      return;
    }
    res.setHeader("Content-Type", metrics.registry.contentType).setHeader("Cache-Control", "no-store").send(await metrics.registry.metrics());
  });
  return router;
}
